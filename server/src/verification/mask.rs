//! Masked targets: enough for the caller to recognise their own phone or address, too little
//! to learn it (`+1 ***-***-0123`, `j***@gmail.com`, `Duo push to jsmith`).

/// `+1 ***-***-0123` for a North American number, else `+44 ***…0958` (country code kept when
/// the number is long enough, last four digits).
pub fn phone(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let last4 = &digits[digits.len().saturating_sub(4)..];
    if digits.len() == 11 && digits.starts_with('1') {
        return format!("+1 ***-***-{last4}");
    }
    if digits.len() >= 10 {
        return format!("+{} ***-{last4}", &digits[..2]);
    }
    format!("***-{last4}")
}

/// `j***@gmail.com`: first character of the local part, the domain in full.
pub fn email(address: &str) -> String {
    let address = address.trim();
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_the_caller_recognises() {
        assert_eq!(phone("+15550100123"), "+1 ***-***-0123");
        assert_eq!(phone("+442079460958"), "+44 ***-0958");
        assert_eq!(email("john.private@gmail.com"), "j***@gmail.com");
        assert!(!email("john.private@gmail.com").contains("private"));
        assert_eq!(email("nonsense"), "***");
    }
}
