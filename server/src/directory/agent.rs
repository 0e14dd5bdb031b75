//! `kind = "agent"`: a customer's AD reached through its site agent (src/agent/). The same
//! `Directory` contract as `ldap`, answered by the agent's own LDAP connector at the site; the backend
//! holds no DC address and no bind password for it.
use std::sync::Arc;

use async_trait::async_trait;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{refuse_privileged, Directory, DirectoryAccount, DirectoryError, EffectivePolicy};
use crate::agent::{
    hub::AgentHub,
    protocol::{Operation, OperationResult},
};

/// `[[directories]]` with `kind = "agent"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentDirectoryConfig {
    /// Directory name shown in the panel, e.g. `contoso-site`.
    pub name: String,
    /// The enrolled agent's name (`passdesk agent enroll --name`).
    pub agent: String,
    /// Allow privileged accounts (the agent's own `[directory]` must allow them too).
    #[serde(default)]
    pub allow_privileged: bool,
}

/// A directory served by a site agent.
pub struct AgentDirectory {
    cfg: AgentDirectoryConfig,
    hub: Arc<AgentHub>,
}

impl AgentDirectory {
    /// Calls go through `hub`, where the agent's connection lives.
    pub fn new(cfg: AgentDirectoryConfig, hub: Arc<AgentHub>) -> Self {
        Self { cfg, hub }
    }

    async fn call(&self, op: Operation) -> Result<OperationResult, DirectoryError> {
        match self.hub.call(&self.cfg.agent, op).await? {
            OperationResult::Failed(e) => Err(e),
            other => Ok(other),
        }
    }
}

fn unexpected(what: &str) -> DirectoryError {
    DirectoryError::Other {
        code: "AGENT_PROTOCOL".into(),
        message: format!("the agent answered {what} with an unexpected result"),
    }
}

#[async_trait]
impl Directory for AgentDirectory {
    fn name(&self) -> &str {
        &self.cfg.name
    }

    fn allow_privileged(&self) -> bool {
        self.cfg.allow_privileged
    }

    async fn find_by_email(&self, email: &str) -> Result<Vec<DirectoryAccount>, DirectoryError> {
        match self
            .call(Operation::FindByEmail {
                email: email.to_string(),
            })
            .await?
        {
            OperationResult::Accounts(accounts) => Ok(accounts),
            _ => Err(unexpected("find_by_email")),
        }
    }

    async fn get_account(&self, id: &str) -> Result<DirectoryAccount, DirectoryError> {
        match self
            .call(Operation::GetAccount { id: id.to_string() })
            .await?
        {
            OperationResult::Account(account) => Ok(account),
            _ => Err(unexpected("get_account")),
        }
    }

    async fn effective_policy(
        &self,
        account: &DirectoryAccount,
    ) -> Result<EffectivePolicy, DirectoryError> {
        match self
            .call(Operation::EffectivePolicy {
                account: account.clone(),
            })
            .await?
        {
            OperationResult::Policy(policy) => Ok(policy),
            _ => Err(unexpected("effective_policy")),
        }
    }

    async fn reset_password(
        &self,
        account: &DirectoryAccount,
        password: &str,
        temporary: bool,
    ) -> Result<(), DirectoryError> {
        let account = refuse_privileged(account.clone(), self.cfg.allow_privileged)?;
        match self
            .call(Operation::ResetPassword {
                account,
                password: Zeroizing::new(password.to_string()),
                temporary,
            })
            .await?
        {
            OperationResult::Done => Ok(()),
            _ => Err(unexpected("reset_password")),
        }
    }

    async fn unlock(&self, account: &DirectoryAccount) -> Result<(), DirectoryError> {
        let account = refuse_privileged(account.clone(), self.cfg.allow_privileged)?;
        match self.call(Operation::Unlock { account }).await? {
            OperationResult::Done => Ok(()),
            _ => Err(unexpected("unlock")),
        }
    }
}
