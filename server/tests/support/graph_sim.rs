//! Microsoft Graph simulator (filled in below).
