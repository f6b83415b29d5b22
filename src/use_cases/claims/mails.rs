//! The previous owners of things that changed hands are told, by mail, in the transaction
//! that moved them (PRODUCT.md, "Claims").

use std::collections::BTreeMap;

use crate::db::DbConnection;
use crate::domain::UserId;
use crate::domain::mail::MailKind;
use crate::models::mail_queue;

use super::ownership::Moved;

/// Queues one message per previous owner, naming the proven site and their things that
/// moved. `proof` tells this proof apart from a later one of the same site.
pub fn tell_previous_owners(
    conn: &mut DbConnection,
    site_url: &str,
    proof: &str,
    moved: &[Moved],
) -> diesel::QueryResult<()> {
    let mut by_owner: BTreeMap<UserId, Vec<i64>> = BTreeMap::new();
    for m in moved {
        by_owner.entry(m.from).or_default().push(m.thing.0);
    }
    for (owner, things) in by_owner {
        let payload = serde_json::json!({ "site": site_url, "things": things });
        mail_queue::enqueue(
            conn,
            MailKind::ThingsClaimed,
            owner,
            &payload,
            &format!("things_claimed:{proof}:{}", owner.0),
        )?;
    }
    Ok(())
}
