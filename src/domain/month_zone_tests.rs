//! Months ↔ instants in time zones other than UTC: daylight saving changes, zones far from
//! UTC, and local midnights that are skipped or repeated.

use chrono::{DateTime, Utc};

use super::Month;
use crate::domain::Zone;

fn zone(name: &str) -> Zone {
    Zone::parse(name).expect("zone")
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn month(text: &str) -> Month {
    Month::parse(text).expect("month")
}

#[test]
fn a_paris_month_runs_from_local_midnight_to_local_midnight() {
    let paris = zone("Europe/Paris");
    // March 2026 loses an hour (summer time from the 29th): it starts at +01:00, ends at +02:00.
    let march = month("2026-03");
    assert_eq!(march.start(paris), at("2026-02-28T23:00:00Z"));
    assert_eq!(march.end(paris), at("2026-03-31T22:00:00Z"));
    assert_eq!(
        march.end(paris) - march.start(paris),
        chrono::TimeDelta::days(31) - chrono::TimeDelta::hours(1)
    );
    // October 2026 gains one (winter time from the 25th).
    let october = month("2026-10");
    assert_eq!(october.start(paris), at("2026-09-30T22:00:00Z"));
    assert_eq!(october.end(paris), at("2026-10-31T23:00:00Z"));
    assert_eq!(
        october.end(paris) - october.start(paris),
        chrono::TimeDelta::days(31) + chrono::TimeDelta::hours(1)
    );
}

#[test]
fn an_instant_belongs_to_its_local_month() {
    let paris = zone("Europe/Paris");
    assert_eq!(
        Month::containing(at("2026-10-31T22:30:00Z"), paris),
        month("2026-10")
    );
    assert_eq!(
        Month::containing(at("2026-10-31T22:59:59Z"), paris),
        month("2026-10")
    );
    assert_eq!(
        Month::containing(at("2026-10-31T23:00:00Z"), paris),
        month("2026-11")
    );
    assert_eq!(
        Month::containing(at("2026-10-31T23:30:00Z"), paris),
        month("2026-11")
    );
    // The same instant is still October in UTC.
    assert_eq!(
        Month::containing(at("2026-10-31T23:30:00Z"), Zone::UTC),
        month("2026-10")
    );
    // Inside the hour that October's last Sunday repeats.
    assert_eq!(
        Month::containing(at("2026-10-25T00:30:00Z"), paris),
        month("2026-10")
    );
    assert_eq!(
        Month::containing(at("2026-10-25T01:30:00Z"), paris),
        month("2026-10")
    );
    assert_eq!(
        Month::containing(at("2026-02-28T22:59:59Z"), paris),
        month("2026-02")
    );
    assert_eq!(
        Month::containing(at("2026-02-28T23:00:00Z"), paris),
        month("2026-03")
    );
}

#[test]
fn zones_far_from_utc_start_their_months_hours_away_from_it() {
    // UTC+14: November begins on 31 October at 10:00 UTC.
    let kiritimati = zone("Pacific/Kiritimati");
    assert_eq!(
        month("2026-11").start(kiritimati),
        at("2026-10-31T10:00:00Z")
    );
    assert_eq!(
        Month::containing(at("2026-10-31T09:59:59Z"), kiritimati),
        month("2026-10")
    );
    assert_eq!(
        Month::containing(at("2026-10-31T10:00:00Z"), kiritimati),
        month("2026-11")
    );
    // Los Angeles: November begins at 00:00 PDT, which is 07:00 UTC; March starts in PST and
    // ends in PDT.
    let los_angeles = zone("America/Los_Angeles");
    assert_eq!(
        month("2026-11").start(los_angeles),
        at("2026-11-01T07:00:00Z")
    );
    assert_eq!(
        Month::containing(at("2026-11-01T06:59:59Z"), los_angeles),
        month("2026-10")
    );
    assert_eq!(
        month("2026-03").start(los_angeles),
        at("2026-03-01T08:00:00Z")
    );
    assert_eq!(
        month("2026-03").end(los_angeles),
        at("2026-04-01T07:00:00Z")
    );
}

#[test]
fn a_skipped_midnight_starts_the_month_when_the_clocks_jump() {
    // Paraguay set its clocks from 00:00 to 01:00 on 1 October 2023: the month's first
    // instant is the jump, 04:00 UTC (00:00 at -04:00, 01:00 at -03:00).
    let asuncion = zone("America/Asuncion");
    let october = month("2023-10");
    assert_eq!(october.start(asuncion), at("2023-10-01T04:00:00Z"));
    assert_eq!(month("2023-09").end(asuncion), october.start(asuncion));
    assert_eq!(
        Month::containing(at("2023-10-01T03:59:59Z"), asuncion),
        month("2023-09")
    );
    assert_eq!(
        Month::containing(at("2023-10-01T04:00:00Z"), asuncion),
        october
    );
}

#[test]
fn a_repeated_midnight_starts_the_month_at_its_first_occurrence() {
    // Cuba sets its clocks from 01:00 back to 00:00 on 1 November 2026: midnight happens at
    // 04:00 and again at 05:00 UTC; the month starts at the first.
    let havana = zone("America/Havana");
    assert_eq!(month("2026-11").start(havana), at("2026-11-01T04:00:00Z"));
    assert_eq!(
        Month::containing(at("2026-11-01T03:59:59Z"), havana),
        month("2026-10")
    );
    assert_eq!(
        Month::containing(at("2026-11-01T04:00:00Z"), havana),
        month("2026-11")
    );
}

#[test]
fn utc_months_are_what_they_always_were() {
    let november = month("2026-11");
    assert_eq!(november.start(Zone::UTC), at("2026-11-01T00:00:00Z"));
    assert_eq!(november.end(Zone::UTC), at("2026-12-01T00:00:00Z"));
    assert_eq!(Zone::default(), Zone::UTC);
}

#[test]
fn only_iana_names_parse() {
    assert_eq!(zone("Europe/Paris").name(), "Europe/Paris");
    assert_eq!(zone("UTC").name(), "UTC");
    for bad in ["Europe/Pariss", "", "CEST+2", "paris"] {
        assert!(Zone::parse(bad).is_err(), "{bad:?}");
    }
}
