//! Property tests of the wallet against the real database: over random sequences of voucher
//! issues, redemptions (good, repeated, bogus), budget changes (valid and not) and
//! moves between two holding accounts of a person (funds → revenue and back, overdrafts
//! included; the shape of a reservation and its release), after
//! every step: each movement sums to zero, no holding balance is negative, every balance
//! equals the sum of its entries, and balances match a simple model of what should be.

use chrono::Utc;
use obole::db::DbConnection;
use obole::db::backend::write_transaction;
use obole::domain::budget::BudgetAmount;
use obole::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use obole::domain::{Money, NewAccount, UserId};
use obole::models::budgets;
use obole::models::ledger::{self, PostError};
use obole::use_cases::wallet::{self, WalletError};
use proptest::prelude::*;

use crate::helpers::database::TestDatabase;

const USERS: usize = 3;

#[derive(Debug, Clone)]
enum Step {
    Issue {
        cents: i64,
        count: u32,
    },
    Redeem {
        user: usize,
        voucher: usize,
    },
    RedeemBogus {
        user: usize,
    },
    SetBudget {
        user: usize,
        text: String,
        paused: Option<bool>,
    },
    Reserve {
        user: usize,
        cents: i64,
    },
    Release {
        user: usize,
        cents: i64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let user = 0..USERS;
    let budget_text = prop_oneof![
        (0i64..20_000).prop_map(|c| format!("{}.{:02}", c / 100, c % 100)),
        Just("2".to_owned()),
        Just("1.99".to_owned()),
        Just("2.005".to_owned()),
        Just("abc".to_owned()),
        Just("-5".to_owned()),
        Just(String::new()),
    ];
    prop_oneof![
        (1i64..5_000, 1u32..4).prop_map(|(cents, count)| Step::Issue { cents, count }),
        (user.clone(), 0usize..12).prop_map(|(user, voucher)| Step::Redeem { user, voucher }),
        user.clone().prop_map(|user| Step::RedeemBogus { user }),
        (
            user.clone(),
            budget_text,
            proptest::option::of(any::<bool>())
        )
            .prop_map(|(user, text, paused)| Step::SetBudget { user, text, paused }),
        (user.clone(), 1i64..8_000).prop_map(|(user, cents)| Step::Reserve { user, cents }),
        (user, 1i64..8_000).prop_map(|(user, cents)| Step::Release { user, cents }),
    ]
}

/// What the balances should be.
#[derive(Default)]
struct Model {
    funds: [i64; USERS],
    held: [i64; USERS],
    issued: i64,
    vouchers: Vec<(String, i64, bool)>,
    budgets: [Option<(i64, bool)>; USERS],
}

fn move_between(
    conn: &mut DbConnection,
    from: AccountRef,
    to: AccountRef,
    micros: i64,
) -> Result<(), PostError> {
    let transfer = Transfer::between(
        MovementKind::VoucherRedemption,
        from,
        to,
        Money::from_micros(micros),
    )
    .map_err(|_| PostError::Database(diesel::result::Error::RollbackTransaction))?;
    write_transaction(conn, |conn| {
        ledger::post(conn, &transfer, None, Utc::now()).map(|_| ())
    })
}

fn run(steps: &[Step]) -> Result<(), TestCaseError> {
    let database = TestDatabase::fresh();
    let pool = database.pool(1);
    let mut conn = pool.get().expect("connection");
    let conn: &mut DbConnection = &mut conn;
    let users: Vec<UserId> = (0..USERS)
        .map(|n| {
            let account = NewAccount::parse(
                &format!("p{n}@example.org"),
                "correct horse",
                None,
                None,
                Default::default(),
            )
            .expect("account");
            obole::use_cases::accounts::sign_up(conn, &account, Utc::now())
                .expect("sign up")
                .user_id()
        })
        .collect();
    let max_budget = Money::from_micros(100_000_000);
    let mut model = Model::default();

    for step in steps {
        match step.clone() {
            Step::Issue { cents, count } => {
                let amount = Money::from_cents(cents).expect("amount");
                let codes =
                    wallet::issue_vouchers(conn, amount, count, None, Utc::now()).expect("issue");
                for code in codes {
                    model
                        .vouchers
                        .push((code.display(), amount.micros(), false));
                }
                model.issued += amount.micros() * i64::from(count);
            }
            Step::Redeem { user, voucher } => {
                let Some((code, micros, used)) = model.vouchers.get(voucher).cloned() else {
                    continue;
                };
                let outcome = wallet::redeem_voucher(conn, users[user], &code, Utc::now());
                if used {
                    prop_assert!(
                        matches!(outcome, Err(WalletError::VoucherUsed)),
                        "{outcome:?}"
                    );
                } else {
                    model.funds[user] += micros;
                    prop_assert_eq!(outcome.expect("redeemed").funds.micros(), model.funds[user]);
                    model.vouchers[voucher].2 = true;
                }
            }
            Step::RedeemBogus { user } => {
                let outcome = wallet::redeem_voucher(
                    conn,
                    users[user],
                    "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ",
                    Utc::now(),
                );
                prop_assert!(
                    matches!(outcome, Err(WalletError::VoucherNotFound)),
                    "{outcome:?}"
                );
            }
            Step::SetBudget { user, text, paused } => {
                // An amount refused at the edge writes nothing: the budget check below proves it.
                if let Ok(amount) = BudgetAmount::parse(&text, max_budget) {
                    let saved = wallet::set_budget(conn, users[user], amount, paused, Utc::now())
                        .expect("budget");
                    let keep = model.budgets[user].is_some_and(|(_, p)| p);
                    model.budgets[user] = Some((amount.money().micros(), paused.unwrap_or(keep)));
                    prop_assert_eq!(saved.paused, paused.unwrap_or(keep));
                }
            }
            Step::Reserve { user, cents } => {
                let micros = cents * 10_000;
                let outcome = move_between(
                    conn,
                    AccountRef::User(users[user], AccountKind::Funds),
                    AccountRef::User(users[user], AccountKind::Revenue),
                    micros,
                );
                if micros <= model.funds[user] {
                    prop_assert!(outcome.is_ok(), "{outcome:?}");
                    model.funds[user] -= micros;
                    model.held[user] += micros;
                } else {
                    prop_assert!(
                        matches!(outcome, Err(PostError::Overdraft(AccountKind::Funds))),
                        "{outcome:?}"
                    );
                }
            }
            Step::Release { user, cents } => {
                let micros = cents * 10_000;
                let outcome = move_between(
                    conn,
                    AccountRef::User(users[user], AccountKind::Revenue),
                    AccountRef::User(users[user], AccountKind::Funds),
                    micros,
                );
                if micros <= model.held[user] {
                    prop_assert!(outcome.is_ok(), "{outcome:?}");
                    model.held[user] -= micros;
                    model.funds[user] += micros;
                } else {
                    prop_assert!(
                        matches!(outcome, Err(PostError::Overdraft(AccountKind::Revenue))),
                        "{outcome:?}"
                    );
                }
            }
        }

        let report = ledger::check(conn).expect("check");
        prop_assert!(report.is_sound(), "after {step:?}: {report:?}");
        for (n, user) in users.iter().enumerate() {
            let balances = ledger::user_balances(conn, *user).expect("balances");
            prop_assert_eq!(
                balances.funds.micros(),
                model.funds[n],
                "funds of user {} after {:?}",
                n,
                step
            );
            prop_assert_eq!(balances.revenue.micros(), model.held[n]);
            let budget = budgets::find(conn, *user)
                .expect("budget")
                .map(|b| (b.amount.micros(), b.paused));
            prop_assert_eq!(budget, model.budgets[n]);
        }
        let unredeemed: i64 = model
            .vouchers
            .iter()
            .filter(|(_, _, used)| !used)
            .map(|(_, m, _)| m)
            .sum();
        let outstanding =
            ledger::balance(conn, AccountRef::Platform(AccountKind::VouchersOutstanding))
                .expect("balance");
        prop_assert_eq!(outstanding.micros(), unredeemed);
        let sales = ledger::balance(conn, AccountRef::Platform(AccountKind::VoucherSales))
            .expect("balance");
        prop_assert_eq!(sales.micros(), -model.issued);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_wallet_histories_keep_the_ledger_sound(steps in proptest::collection::vec(step(), 1..30)) {
        run(&steps)?;
    }
}

/// Twenty concurrent debits of 1.00 from 10.00 of funds, each on its own connection: exactly
/// ten succeed, the others are refused as overdrafts, and the ledger stays sound.
#[test]
fn concurrent_debits_never_overdraw_funds() {
    let database = TestDatabase::fresh();
    let pool = database.pool(8);
    let user = a_person_with_funds(&mut pool.get().expect("connection"), "rich", 1_000);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(20));
    let handles: Vec<_> = (0..20)
        .map(|_| {
            let (pool, barrier) = (pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                // Start together, then race for the pool's eight connections.
                barrier.wait();
                let mut conn = pool.get().expect("connection");
                move_between(
                    &mut conn,
                    AccountRef::User(user, AccountKind::Funds),
                    AccountRef::User(user, AccountKind::Revenue),
                    1_000_000,
                )
            })
        })
        .collect();
    let outcomes: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("thread"))
        .collect();
    let ok = outcomes.iter().filter(|o| o.is_ok()).count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Err(PostError::Overdraft(AccountKind::Funds))))
        .count();
    assert_eq!((ok, refused), (10, 10), "{outcomes:?}");
    let mut conn = pool.get().expect("connection");
    let balances = ledger::user_balances(&mut conn, user).expect("balances");
    assert_eq!(
        (balances.funds.micros(), balances.revenue.micros()),
        (0, 10_000_000)
    );
    assert!(ledger::check(&mut conn).expect("check").is_sound());
}

/// A signed-up person with `cents` in their funds (from a redeemed voucher).
fn a_person_with_funds(conn: &mut DbConnection, name: &str, cents: i64) -> UserId {
    let account = NewAccount::parse(
        &format!("{name}@example.org"),
        "correct horse",
        None,
        None,
        Default::default(),
    )
    .expect("account");
    let user = obole::use_cases::accounts::sign_up(conn, &account, Utc::now())
        .expect("sign up")
        .user_id();
    if cents > 0 {
        let amount = Money::from_cents(cents).expect("amount");
        let code = wallet::issue_vouchers(conn, amount, 1, None, Utc::now())
            .expect("issue")
            .remove(0);
        wallet::redeem_voucher(conn, user, &code.display(), Utc::now()).expect("redeem");
    }
    user
}

/// Three people with 10.00, 5.00 and nothing in their funds.
fn three_people(database: &TestDatabase) -> (obole::db::DbPool, Vec<UserId>) {
    let pool = database.pool(1);
    let mut conn = pool.get().expect("connection");
    let users = [1_000_i64, 500, 0]
        .into_iter()
        .enumerate()
        .map(|(n, cents)| a_person_with_funds(&mut conn, &format!("bulk{n}"), cents))
        .collect();
    drop(conn);
    (pool, users)
}

/// An entry as (account kind, owner, amount, balance after).
type EntryRow = (String, Option<i64>, i64, i64);

/// Every entry of the ledger, sorted, and every balance.
fn ledger_rows(conn: &mut DbConnection) -> (Vec<EntryRow>, Vec<i64>) {
    use diesel::prelude::*;
    use obole::db::schema::{ledger_accounts as a, ledger_entries as e};
    let mut entries: Vec<EntryRow> = e::table
        .inner_join(a::table)
        .select((
            a::kind,
            a::owner_id,
            e::amount_micros,
            e::balance_after_micros,
        ))
        .load(conn)
        .expect("entries");
    entries.sort();
    let balances = a::table
        .order(a::id.asc())
        .select(a::balance_micros)
        .load(conn)
        .expect("balances");
    (entries, balances)
}

/// The settlement's set-based posting writes the same rows as posting one account at a time,
/// and refuses an overdraft with nothing written.
#[test]
fn a_bulk_movement_writes_what_one_posting_at_a_time_writes() {
    let m = |cents: i64| Money::from_cents(cents).expect("amount");
    let movement = |users: &[UserId]| {
        Transfer::new(
            MovementKind::Settlement,
            vec![
                (AccountRef::User(users[0], AccountKind::Funds), m(-300)),
                (AccountRef::User(users[1], AccountKind::Funds), m(-200)),
                (AccountRef::User(users[0], AccountKind::Revenue), m(100)),
                (AccountRef::User(users[2], AccountKind::Revenue), m(350)),
                (AccountRef::Platform(AccountKind::Fees), m(50)),
            ],
        )
        .expect("balanced")
    };
    let (one, bulk) = (TestDatabase::fresh(), TestDatabase::fresh());
    let (one_pool, one_users) = three_people(&one);
    let (bulk_pool, bulk_users) = three_people(&bulk);
    let mut one_conn = one_pool.get().expect("connection");
    let mut bulk_conn = bulk_pool.get().expect("connection");
    write_transaction(&mut one_conn, |conn| {
        ledger::post(conn, &movement(&one_users), Some("m"), Utc::now())
    })
    .expect("post");
    write_transaction(&mut bulk_conn, |conn| {
        obole::models::ledger_bulk::post_many(conn, &movement(&bulk_users), "m", Utc::now())
    })
    .expect("post_many");
    let written = ledger_rows(&mut bulk_conn);
    assert_eq!(written, ledger_rows(&mut one_conn));
    assert!(ledger::check(&mut bulk_conn).expect("check").is_sound());

    // The second person has 3.00 left: taking 4.00 overdraws, and nothing is written.
    let overdraft = Transfer::new(
        MovementKind::Settlement,
        vec![
            (AccountRef::User(bulk_users[0], AccountKind::Funds), m(-100)),
            (AccountRef::User(bulk_users[1], AccountKind::Funds), m(-400)),
            (AccountRef::Platform(AccountKind::Fees), m(500)),
        ],
    )
    .expect("balanced");
    let refused = write_transaction(&mut bulk_conn, |conn| {
        obole::models::ledger_bulk::post_many(conn, &overdraft, "over", Utc::now())
    });
    assert!(
        matches!(refused, Err(PostError::Overdraft(AccountKind::Funds))),
        "{refused:?}"
    );
    assert_eq!(ledger_rows(&mut bulk_conn), written);
}
