//! The ConnectWise side of the Samba tests: one company whose contacts are the DC's fixture users
//! (tests/samba/provision-dc.sh), one ticket per user.
use passdesk_server::connectwise::{
    sandbox::{Sandbox, SandboxContact, SandboxCredentials, SandboxTicket},
    TicketKind,
};

/// ConnectWise company identifier mapped to the Samba directory.
pub const COMPANY: &str = "TestLan";
pub const COMPANY_ID: u64 = 300;
pub const TECHNICIAN: &str = "Samba Technician";

// Tickets: one per DC fixture user (see tests/samba/provision-dc.sh); each test writes only its own.
pub const T_JSMITH: u64 = 3001;
pub const T_JSTRICT: u64 = 3002;
pub const T_PGONE: u64 = 3003;
pub const T_JLOCKED: u64 = 3004;
pub const T_DADMIN: u64 = 3005;
/// Dana's contact address is on two DC accounts (dup1 and dup2: proxyAddresses).
pub const T_DANA: u64 = 3006;
pub const T_JREFUSE: u64 = 3007;

/// The ConnectWise data: one company, a contact per fixture user whose e-mail is the user's `mail`.
pub fn seeded_sandbox() -> Sandbox {
    let s = Sandbox::new(SandboxCredentials::generate("passdesk_samba"));
    s.add_company(COMPANY_ID, COMPANY, "Test Lan Ltd");
    let people = [
        (T_JSMITH, 41, "John", "Smith", "john.smith@test.lan"),
        (T_JSTRICT, 42, "Sam", "Strict", "sam.strict@test.lan"),
        (T_PGONE, 43, "Pat", "Gone", "pat.gone@test.lan"),
        (T_JLOCKED, 44, "Lola", "Locked", "lola.locked@test.lan"),
        (T_DADMIN, 45, "Dom", "Admin", "dom.admin@test.lan"),
        (T_DANA, 46, "Dana", "Shared", "dana@shared.test.lan"),
        (T_JREFUSE, 47, "Rita", "Refuse", "rita.refuse@test.lan"),
    ];
    for (ticket, contact, first, last, mail) in people {
        s.add_contact(SandboxContact::new(contact, first, last, COMPANY_ID).email(mail, true));
        s.add_ticket(SandboxTicket {
            id: ticket,
            kind: TicketKind::Service,
            summary: format!("{first} cannot sign in"),
            company_id: COMPANY_ID,
            contact_id: Some(contact),
            // Half the tickets carry the address themselves, half fall back to the contact's Email item.
            contact_email: (ticket % 2 == 1).then(|| mail.to_string()),
        });
    }
    s
}
