//! Serde structs for the REST JSON PassDesk reads (camelCase; unknown fields are ignored so newer API
//! versions do not break us). Only the fields we use; everything is optional where ConnectWise may omit
//! it under `fields=` partial responses.
use serde::{Deserialize, Serialize};

use crate::connectwise::{CompanyRef, ContactRef, Ticket, TicketKind};

/// `{id, name}` / `{id, identifier, name}` references.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefModel {
    /// Record id.
    #[serde(default)]
    pub id: Option<u64>,
    /// Short identifier (companies, members).
    #[serde(default)]
    pub identifier: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
}

/// Service ticket or project ticket: the fields both share.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketModel {
    /// Ticket id.
    pub id: u64,
    /// Summary line.
    #[serde(default)]
    pub summary: Option<String>,
    /// Company (required on a ticket).
    #[serde(default)]
    pub company: Option<RefModel>,
    /// Contact record.
    #[serde(default)]
    pub contact: Option<RefModel>,
    /// Free-text contact name on the ticket.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// The ticket's own email field.
    #[serde(default)]
    pub contact_email_address: Option<String>,
}

/// The `fields=` list that covers `TicketModel`.
pub const TICKET_FIELDS: &str = "id,summary,company,contact,contactName,contactEmailAddress";

impl TicketModel {
    /// Into the shared `Ticket`; a ticket without a company is malformed.
    pub fn into_ticket(self, kind: TicketKind) -> Result<Ticket, String> {
        let company = self.company.ok_or("ticket has no company")?;
        let company = CompanyRef {
            id: company.id.ok_or("ticket company has no id")?,
            identifier: company.identifier.unwrap_or_default(),
            name: company.name.unwrap_or_default(),
        };
        let contact = self.contact.and_then(|c| {
            let id = c.id?;
            let name = non_empty(c.name)
                .or_else(|| non_empty(self.contact_name.clone()))
                .unwrap_or_default();
            Some(ContactRef { id, name })
        });
        Ok(Ticket {
            id: self.id,
            kind,
            summary: self.summary.unwrap_or_default(),
            company,
            contact,
            contact_email: non_empty(self.contact_email_address),
        })
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `ContactCommunicationItem`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunicationItem {
    /// Item id.
    #[serde(default)]
    pub id: Option<u64>,
    /// `{id, name}`, e.g. `{1, "Email"}`.
    #[serde(default, rename = "type")]
    pub kind: Option<RefModel>,
    /// The address / number.
    #[serde(default)]
    pub value: Option<String>,
    /// Default item of its communication type.
    #[serde(default)]
    pub default_flag: bool,
    /// `Email`, `Phone` or `Fax`.
    #[serde(default)]
    pub communication_type: Option<String>,
}

impl CommunicationItem {
    /// An email item: by `communicationType`, or by the type name when an older model omits it.
    pub fn is_email(&self) -> bool {
        match &self.communication_type {
            Some(t) => t.eq_ignore_ascii_case("email"),
            None => self
                .kind
                .as_ref()
                .and_then(|k| k.name.as_deref())
                .is_some_and(|n| n.eq_ignore_ascii_case("email")),
        }
    }
}

/// A contact (subset).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactModel {
    /// Contact id.
    pub id: u64,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Company of the contact.
    #[serde(default)]
    pub company: Option<RefModel>,
    /// Inactive contacts are kept for history only.
    #[serde(default)]
    pub inactive_flag: bool,
    /// Email / phone items.
    #[serde(default)]
    pub communication_items: Vec<CommunicationItem>,
}

/// The `fields=` list that covers `ContactModel`.
pub const CONTACT_FIELDS: &str = "id,firstName,lastName,company,inactiveFlag,communicationItems";

impl ContactModel {
    /// Every Email item's value, the default one first (duplicates dropped, case-insensitively).
    pub fn emails(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let items = self.communication_items.iter().filter(|i| i.is_email());
        let (default, other): (Vec<_>, Vec<_>) = items.partition(|i| i.default_flag);
        for v in default
            .into_iter()
            .chain(other)
            .filter_map(|i| non_empty(i.value.clone()))
        {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&v)) {
                out.push(v);
            }
        }
        out
    }
}

/// Body of `POST …/notes` (ServiceNote / TicketNote subset).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewNote<'a> {
    /// Note text (never a password).
    pub text: &'a str,
    /// "Discussion": off, the customer must not see it.
    pub detail_description_flag: bool,
    /// "Internal": on.
    pub internal_analysis_flag: bool,
    /// "Resolution": off.
    pub resolution_flag: bool,
    /// Off, so the contact is not emailed.
    pub process_notifications: bool,
}

impl<'a> NewNote<'a> {
    /// An internal-only note.
    pub fn internal(text: &'a str) -> Self {
        Self {
            text,
            detail_description_flag: false,
            internal_analysis_flag: true,
            resolution_flag: false,
            process_notifications: false,
        }
    }
}

/// What we read back from a created note.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedNote {
    /// The new note's id.
    pub id: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_emails_put_the_default_email_item_first() {
        let c: ContactModel = serde_json::from_value(serde_json::json!({
            "id": 1, "unknownField": [1, 2],
            "communicationItems": [
                {"type": {"id": 2, "name": "Direct"}, "value": "555", "defaultFlag": true, "communicationType": "Phone"},
                {"type": {"id": 1, "name": "Email"}, "value": "other@x.example", "defaultFlag": false, "communicationType": "Email"},
                {"type": {"id": 1, "name": "Email"}, "value": "main@x.example", "defaultFlag": true, "communicationType": "Email"}
            ]
        }))
        .unwrap();
        assert_eq!(
            c.emails(),
            ["main@x.example", "other@x.example"],
            "every Email item, the default first, no phone"
        );
        let c: ContactModel = serde_json::from_value(serde_json::json!({
            "id": 1, "communicationItems": [
                {"value": "555", "defaultFlag": true, "communicationType": "Phone"},
                {"value": " ", "communicationType": "Email"},
                {"type": {"name": "Email"}, "value": "first@x.example"}
            ]
        }))
        .unwrap();
        assert_eq!(c.emails(), ["first@x.example"], "a blank item is skipped");
    }

    #[test]
    fn ticket_without_company_is_rejected() {
        let t: TicketModel =
            serde_json::from_value(serde_json::json!({"id": 5, "summary": "x"})).unwrap();
        assert!(t.into_ticket(TicketKind::Service).is_err());
    }
}
