//! The contract of password-reset links ("reset password by an e-mailed link"): a link is used once,
//! not after it expires, and using it replaces the password, ends the account's other links and its logins
//! in one transaction.

use joule_core::account::{AccountId, AccountRole};

use super::{assert_conflict, assert_not_found, new_account, new_operator, t};
use crate::{NewLogin, NewPasswordReset, Store};

pub(super) async fn password_resets(store: &dyn Store) {
    let op = new_operator(store, "Reset Op").await;
    let ann = store.create_account(&new_account("ann@reset.example", AccountRole::Owner, Some(op.id))).await;
    let ann = ann.expect("create account");
    let bob = store.create_account(&new_account("bob@reset.example", AccountRole::Owner, Some(op.id))).await;
    let bob = bob.expect("create account");
    let hash = |n: u32| format!("{:064x}", 0x5e7 + n);
    let link = |account: AccountId, n: u32, at: i64| NewPasswordReset {
        account_id: account,
        token_hash: hash(n),
        created_at: t(at),
        expires_at: t(at + 3600),
    };

    store.create_password_reset(&link(ann.id, 1, 100)).await.expect("first link");
    store.create_password_reset(&link(ann.id, 2, 200)).await.expect("second link");
    store.create_password_reset(&link(bob.id, 3, 200)).await.expect("bob's link");
    assert_conflict(store.create_password_reset(&link(bob.id, 1, 300)).await, "a taken hash");
    assert_not_found(store.create_password_reset(&link(AccountId(bob.id.0 + 1000), 9, 300)).await, "no account");
    assert_eq!(store.password_resets_since(ann.id, t(100)).await.unwrap(), 2);
    assert_eq!(store.password_resets_since(ann.id, t(150)).await.unwrap(), 1, "counted from `since`");
    assert_eq!(store.password_resets_since(AccountId(ann.id.0 + 1000), t(0)).await.unwrap(), 0);

    let login = |n: u32| NewLogin {
        account_id: ann.id,
        token_hash: format!("{:064x}", 0x10_000 + n),
        created_at: t(100),
        expires_at: t(100_000),
        remote: None,
    };
    store.create_login(&login(1)).await.expect("a login");

    assert_eq!(store.password_reset_account(&hash(1), t(300)).await.unwrap(), Some(ann.id));
    assert_eq!(store.password_reset_account(&hash(1), t(100 + 3600)).await.unwrap(), None, "expired");
    assert_eq!(store.password_reset_account(&hash(77), t(300)).await.unwrap(), None, "unknown");

    // Unknown and expired links are refused alike, and change nothing.
    assert_not_found(store.reset_password(&hash(77), "new hash", t(300)).await, "an unknown link");
    assert_not_found(store.reset_password(&hash(1), "new hash", t(100 + 3600)).await, "an expired link");
    let (_, kept) = store.account_by_email(&ann.email).await.unwrap().expect("account");
    assert_eq!(kept, "hash of ann@reset.example", "a refused link leaves the password");

    // The second link works once; it takes the first (older, still open) link with it, and the logins.
    assert_eq!(store.reset_password(&hash(2), "new hash", t(300)).await.expect("reset"), ann.id);
    let (_, changed) = store.account_by_email(&ann.email).await.unwrap().expect("account");
    assert_eq!(changed, "new hash");
    assert_not_found(store.reset_password(&hash(2), "other", t(301)).await, "a used link");
    assert_not_found(store.reset_password(&hash(1), "other", t(301)).await, "an older link of the same account");
    assert_eq!(store.password_reset_account(&hash(1), t(301)).await.unwrap(), None, "used links are not found");
    let revoked = store.login_by_hash(&format!("{:064x}", 0x10_001)).await.unwrap().expect("login");
    assert_eq!(revoked.revoked_at, Some(t(300)), "the logins end with the reset");

    // Another account's link is untouched.
    assert_eq!(store.reset_password(&hash(3), "bob's new", t(400)).await.expect("bob resets"), bob.id);
}
