//! What the agent does with one request: the closed set of operations against its own directory
//! connector. The connector applies the agent's own rules (search base, privileged accounts) to
//! every account id the backend names.
use crate::{
    agent::protocol::{Operation, OperationResult},
    directory::Directory,
};

/// Runs one operation; every failure becomes [`OperationResult::Failed`].
pub async fn answer(directory: &dyn Directory, op: Operation) -> OperationResult {
    let result = match op {
        Operation::FindByEmail { email } => directory
            .find_by_email(&email)
            .await
            .map(OperationResult::Accounts),
        Operation::GetAccount { id } => directory
            .get_account(&id)
            .await
            .map(OperationResult::Account),
        Operation::EffectivePolicy { account } => directory
            .effective_policy(&account)
            .await
            .map(OperationResult::Policy),
        Operation::ResetPassword {
            account,
            password,
            temporary,
        } => {
            // `password` is zeroized when it goes out of scope at the end of this arm.
            directory
                .reset_password(&account, &password, temporary)
                .await
                .map(|()| OperationResult::Done)
        }
        Operation::Unlock { account } => directory
            .unlock(&account)
            .await
            .map(|()| OperationResult::Done),
    };
    result.unwrap_or_else(OperationResult::Failed)
}
