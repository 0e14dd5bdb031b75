//! Sandbox records and their rendering as ConnectWise REST JSON (camelCase, with `_info`).
use serde_json::{json, Value};

use crate::connectwise::TicketKind;

/// A company.
#[derive(Debug, Clone)]
pub struct SandboxCompany {
    /// Record id.
    pub id: u64,
    /// Short identifier (what directories are mapped to).
    pub identifier: String,
    /// Display name.
    pub name: String,
}

/// Email or phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommType {
    /// `communicationType: "Email"`, `type: {id: 1, name: "Email"}`.
    Email,
    /// `communicationType: "Phone"`, `type: {id: 2, name: "Direct"}`.
    Phone,
}

/// A contact communication item.
#[derive(Debug, Clone)]
pub struct CommItem {
    /// Email or phone.
    pub kind: CommType,
    /// Address or number.
    pub value: String,
    /// Default of its type.
    pub default: bool,
}

/// A contact.
#[derive(Debug, Clone)]
pub struct SandboxContact {
    /// Record id.
    pub id: u64,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Company record id.
    pub company_id: u64,
    /// Inactive flag.
    pub inactive: bool,
    /// Email / phone items.
    pub items: Vec<CommItem>,
}

impl SandboxContact {
    /// A contact with no communication items.
    pub fn new(id: u64, first_name: &str, last_name: &str, company_id: u64) -> Self {
        Self {
            id,
            first_name: first_name.into(),
            last_name: last_name.into(),
            company_id,
            inactive: false,
            items: Vec::new(),
        }
    }

    /// Adds an Email item.
    pub fn email(mut self, value: &str, default: bool) -> Self {
        self.items.push(CommItem {
            kind: CommType::Email,
            value: value.into(),
            default,
        });
        self
    }

    /// Adds a Phone item.
    pub fn phone(mut self, value: &str, default: bool) -> Self {
        self.items.push(CommItem {
            kind: CommType::Phone,
            value: value.into(),
            default,
        });
        self
    }

    /// "First Last".
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

/// A service or project ticket.
#[derive(Debug, Clone)]
pub struct SandboxTicket {
    /// Ticket id.
    pub id: u64,
    /// Service or project.
    pub kind: TicketKind,
    /// Summary.
    pub summary: String,
    /// Company record id (must exist).
    pub company_id: u64,
    /// Contact record id.
    pub contact_id: Option<u64>,
    /// The ticket's own `contactEmailAddress`.
    pub contact_email: Option<String>,
}

/// `_info` with a fixed timestamp, like records that exist before the demo starts.
fn info(kind: &str, id: u64) -> Value {
    json!({"lastUpdated": "2026-11-01T09:00:00Z", "updatedBy": "Sandbox", kind: format!("/{kind}/{id}")})
}

pub(super) fn company_ref(c: &SandboxCompany) -> Value {
    json!({"id": c.id, "identifier": c.identifier, "name": c.name, "_info": {"company_href": format!("/company/companies/{}", c.id)}})
}

pub(super) fn contact_json(c: &SandboxContact, company: Option<&SandboxCompany>) -> Value {
    let items: Vec<Value> = c
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let (tid, tname, ctype) = match it.kind {
                CommType::Email => (1, "Email", "Email"),
                CommType::Phone => (2, "Direct", "Phone"),
            };
            let domain = it.value.split_once('@').map(|(_, d)| format!("@{d}"));
            json!({"id": c.id * 100 + i as u64 + 1, "type": {"id": tid, "name": tname}, "value": it.value,
                   "defaultFlag": it.default, "domain": domain, "communicationType": ctype})
        })
        .collect();
    json!({
        "id": c.id, "firstName": c.first_name, "lastName": c.last_name,
        "company": company.map(company_ref),
        "inactiveFlag": c.inactive, "defaultFlag": false, "title": null,
        "communicationItems": items, "types": [],
        "_info": info("contact", c.id),
    })
}

pub(super) fn ticket_json(
    t: &SandboxTicket,
    company: Option<&SandboxCompany>,
    contact: Option<&SandboxContact>,
) -> Value {
    let (record_type, board) = match t.kind {
        TicketKind::Service => ("ServiceTicket", json!({"id": 1, "name": "Help Desk"})),
        TicketKind::Project => ("ProjectTicket", json!({"id": 2, "name": "Projects"})),
    };
    let mut v = json!({
        "id": t.id, "summary": t.summary, "recordType": record_type, "board": board,
        "status": {"id": 1, "name": "New"}, "closedFlag": false,
        "company": company.map(company_ref),
        "contact": contact.map(|c| json!({"id": c.id, "name": c.name(), "_info": {"contact_href": format!("/company/contacts/{}", c.id)}})),
        "contactName": contact.map(|c| c.name()),
        "contactEmailAddress": t.contact_email,
        "_info": info("ticket", t.id),
    });
    if t.kind == TicketKind::Project {
        v["project"] = json!({"id": 1, "name": "Onboarding"});
    }
    v
}

/// Keeps only the `fields=` (comma-separated, `a/b` for nested) of an object; `id` is not implied.
pub(super) fn project_fields(v: &Value, fields: &str) -> Value {
    let Value::Object(_) = v else {
        return v.clone();
    };
    let mut out = json!({});
    for f in fields.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let segs: Vec<&str> = f.split('/').collect();
        copy_path(v, &mut out, &segs);
    }
    out
}

fn copy_path(src: &Value, dst: &mut Value, segs: &[&str]) {
    let (Some(first), Value::Object(s)) = (segs.first(), src) else {
        return;
    };
    let Some((key, val)) = s.iter().find(|(k, _)| k.eq_ignore_ascii_case(first)) else {
        return;
    };
    if segs.len() == 1 || !val.is_object() {
        dst[key.as_str()] = val.clone();
    } else {
        if !dst.get(key.as_str()).is_some_and(Value::is_object) {
            dst[key.as_str()] = json!({});
        }
        copy_path(val, &mut dst[key.as_str()], &segs[1..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_projection() {
        let v = json!({"id": 1, "summary": "s", "company": {"id": 2, "name": "n", "identifier": "i"}, "x": 3});
        assert_eq!(
            project_fields(&v, "id,company/name"),
            json!({"id": 1, "company": {"name": "n"}})
        );
        assert_eq!(
            project_fields(&v, "summary,company"),
            json!({"summary": "s", "company": {"id": 2, "name": "n", "identifier": "i"}})
        );
    }
}
