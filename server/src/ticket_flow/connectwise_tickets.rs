//! The real [`TicketSystem`]: the ConnectWise REST client.
use async_trait::async_trait;

use super::tickets::{TicketError, TicketSystem};
use crate::connectwise::{
    client::{ConnectWiseClient, CwError},
    Ticket, TicketKind,
};

impl From<CwError> for TicketError {
    fn from(e: CwError) -> Self {
        match e {
            CwError::NotFound => TicketError::NotFound,
            e if e.is_retryable() => TicketError::Retryable {
                retry_after: e.retry_after(),
                message: e.to_string(),
            },
            e => TicketError::Failed(e.to_string()),
        }
    }
}

#[async_trait]
impl TicketSystem for ConnectWiseClient {
    async fn ticket(&self, kind: TicketKind, id: u64) -> Result<Ticket, TicketError> {
        Ok(ConnectWiseClient::ticket(self, kind, id).await?)
    }

    async fn company_id(&self, identifier: &str) -> Result<Option<u64>, TicketError> {
        Ok(ConnectWiseClient::company_id(self, identifier).await?)
    }

    async fn contact_emails(&self, contact_id: u64) -> Result<Vec<String>, TicketError> {
        Ok(ConnectWiseClient::contact_emails(self, contact_id).await?)
    }

    async fn post_internal_note(
        &self,
        kind: TicketKind,
        ticket_id: u64,
        text: &str,
    ) -> Result<u64, TicketError> {
        Ok(ConnectWiseClient::post_internal_note(self, kind, ticket_id, text).await?)
    }
}
