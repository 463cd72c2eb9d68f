//! Deep links into the Sales app, the same for every source.

use dealpane_contract::Guid;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// An app id is a GUID; anything else in it is encoded so it cannot change the link.
const APP_ID: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-');

/// `<org>/main.aspx?appid=<app>&pagetype=entityrecord&etn=opportunity&id=<id>`; without an app
/// id Dynamics opens the user's default app. The app id is percent-encoded since it comes from
/// settings.
pub fn deal_link(org_url: &str, app_id: Option<&str>, deal_id: Guid) -> String {
    let org = org_url.trim_end_matches('/');
    let app = match app_id.map(str::trim).filter(|app| !app.is_empty()) {
        Some(app) => format!("appid={}&", utf8_percent_encode(app, APP_ID)),
        None => String::new(),
    };
    format!("{org}/main.aspx?{app}pagetype=entityrecord&etn=opportunity&id={deal_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: Guid = Guid::from_u128(0x9b1deb4d_3b7d_4bad_9bdd_2b0d7b3dcb6d);

    #[test]
    fn links_open_the_opportunity_form_in_the_app() {
        assert_eq!(
            deal_link("https://org.crm.dynamics.com/", Some("0a1b2c3d-0000-4000-8000-000000000001"), ID),
            "https://org.crm.dynamics.com/main.aspx?appid=0a1b2c3d-0000-4000-8000-000000000001&pagetype=entityrecord&etn=opportunity&id=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
        );
        assert_eq!(
            deal_link("https://org.crm.dynamics.com", None, ID),
            "https://org.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
        );
    }
}
