use super::*;
use proptest::prelude::*;

const READER: AccountRef = AccountRef::User(UserId(1), AccountKind::Funds);
const OUTSTANDING: AccountRef = AccountRef::Platform(AccountKind::VouchersOutstanding);

#[test]
fn refuses_what_does_not_balance() {
    let m = Money::from_micros;
    let kind = MovementKind::VoucherRedemption;
    assert_eq!(
        Transfer::new(kind, vec![(READER, m(5))]),
        Err(TransferError::TooFewPostings)
    );
    assert_eq!(
        Transfer::new(kind, vec![(READER, m(5)), (OUTSTANDING, m(-4))]),
        Err(TransferError::Unbalanced)
    );
    assert_eq!(
        Transfer::new(kind, vec![(READER, m(0)), (OUTSTANDING, m(0))]),
        Err(TransferError::ZeroPosting)
    );
    assert_eq!(
        Transfer::new(kind, vec![(READER, m(5)), (READER, m(-5))]),
        Err(TransferError::RepeatedAccount)
    );
    assert_eq!(
        Transfer::new(
            kind,
            vec![
                (READER, m(i64::MAX)),
                (OUTSTANDING, m(i64::MAX)),
                (AccountRef::Platform(AccountKind::Fees), m(2))
            ]
        ),
        Err(TransferError::Unbalanced),
        "overflow is not balance"
    );
    assert!(Transfer::between(kind, OUTSTANDING, READER, m(10_000_000)).is_ok());
}

#[test]
fn kinds_round_trip_through_their_codes() {
    for kind in AccountKind::ALL {
        assert_eq!(AccountKind::parse(kind.code()), Some(kind));
    }
    for kind in MovementKind::ALL {
        assert_eq!(MovementKind::parse(kind.code()), Some(kind));
    }
}

proptest! {
    #[test]
    fn every_accepted_transfer_sums_to_zero(amounts in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 1..6)) {
        let mut postings: Vec<(AccountRef, Money)> = amounts
            .iter()
            .enumerate()
            .map(|(i, a)| (AccountRef::User(UserId(i64::try_from(i).unwrap_or(0)), AccountKind::Funds), Money::from_micros(*a)))
            .collect();
        let rest: i64 = -amounts.iter().sum::<i64>();
        postings.push((OUTSTANDING, Money::from_micros(rest)));
        if let Ok(transfer) = Transfer::new(MovementKind::VoucherRedemption, postings) {
            let sum: i64 = transfer.postings().iter().map(|(_, m)| m.micros()).sum();
            prop_assert_eq!(sum, 0);
        }
    }
}
