//! The demo seed: exactly the table in `docs/api.md` (stable ids used by the end-to-end tests).
use super::{Sandbox, SandboxContact, SandboxTicket};
use crate::connectwise::TicketKind;

const CONTOSO: u64 = 250;

pub(super) fn demo(s: &Sandbox) {
    s.add_company(CONTOSO, "Contoso", "Contoso Ltd");
    // John Smith has a second, non-default address and a phone, so the default-Email rule matters.
    s.add_contact(
        SandboxContact::new(17, "John", "Smith", CONTOSO)
            .phone("+1 555 0100", true)
            .email("j.smith@old.contoso.example", false)
            .email("john.smith@contoso.example", true),
    );
    s.add_contact(
        SandboxContact::new(18, "Mary-Jane", "O'Neil", CONTOSO)
            .email("mary-jane.oneil@contoso.example", true),
    );
    s.add_contact(
        SandboxContact::new(19, "Pat", "Gone", CONTOSO).email("pat.gone@contoso.example", true),
    );
    s.add_contact(
        SandboxContact::new(20, "Ann", "Nobody", CONTOSO).email("ann.nobody@contoso.example", true),
    );
    s.add_contact(
        SandboxContact::new(21, "Domain", "Admin", CONTOSO).email("admin@contoso.example", true),
    );

    let t = |id, kind, summary: &str, contact: Option<u64>, email: Option<&str>| SandboxTicket {
        id,
        kind,
        summary: summary.into(),
        company_id: CONTOSO,
        contact_id: contact,
        contact_email: email.map(Into::into),
    };
    use TicketKind::{Project, Service};
    s.add_ticket(t(
        1001,
        Service,
        "Locked out",
        Some(17),
        Some("john.smith@contoso.example"),
    ));
    // No ticket email: the backend must fall back to the contact's default Email item.
    s.add_ticket(t(
        1002,
        Service,
        "Account locked after holiday",
        Some(18),
        None,
    ));
    s.add_ticket(t(
        1003,
        Service,
        "Password reset request by phone",
        None,
        None,
    ));
    s.add_ticket(t(
        1004,
        Service,
        "Cannot sign in",
        Some(19),
        Some("pat.gone@contoso.example"),
    ));
    s.add_ticket(t(
        1005,
        Service,
        "Forgot password",
        Some(20),
        Some("ann.nobody@contoso.example"),
    ));
    s.add_ticket(t(
        1006,
        Service,
        "Reset admin password",
        Some(21),
        Some("admin@contoso.example"),
    ));
    s.add_ticket(t(
        2001,
        Project,
        "Onboarding: set initial password",
        Some(17),
        None,
    ));
}
