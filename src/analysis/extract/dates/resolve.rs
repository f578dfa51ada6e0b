//! From a filled [`Frame`] to a TIMEX3 value, resolved against the anchor when there is one.
//!
//! Conventions (TimeBank / TIMEX3):
//! - dates at their grain: `2021-12-07`, `2016-12`, `2016`, `199` (a decade), `19` (a century),
//!   `2021-Q3`, `2021-SU`, `2021-W49`, `2021-W49-WE`; times `2021-12-07T14:30` or a part of the day
//!   `2021-12-07TEV`;
//! - durations `P5Y`, `P2W`, `PT3H`, `PXD` for an unknown count; the spans of "the past two years"
//!   and "the first nine months" are durations too;
//! - recurrences `P1W` ("every week"), `XXXX-WXX-2` ("each Tuesday"), `XXXX-07` ("each July");
//! - vague references `PAST_REF`, `PRESENT_REF`, `FUTURE_REF`;
//! - without an anchor, a relative expression keeps its offset from the unknown reference date:
//!   `P-5Y` ("il y a cinq ans"), `P-1D` ("yesterday"), `P0W` ("this week"), `P1M` ("next month"),
//!   and a partial date keeps its unknown parts: `XXXX-12-07`, `XXXX-WXX-2` (a Tuesday), `XXXX-12`,
//!   `XXXX-Q3`, `XXXX-SU`; these are marked `resolved = false`;
//! - ranges (`du 3 au 5 mai`) give the ISO-8601 interval `start/end` as value and both bounds apart.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::super::super::output::{DateKind, Grain};
use super::lexicon::Class;

/// A unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    /// Year.
    Year,
    /// Half year.
    Half,
    /// Quarter.
    Quarter,
    /// Month.
    Month,
    /// Week.
    Week,
    /// Weekend.
    Weekend,
    /// Day.
    Day,
    /// Hour.
    Hour,
    /// Minute.
    Minute,
    /// Second.
    Second,
    /// Decade.
    Decade,
    /// Century.
    Century,
    /// Millennium.
    Millennium,
}

impl Unit {
    /// The data-file code of a unit.
    pub(super) fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "Y" => Unit::Year,
            "HALF" => Unit::Half,
            "Q" => Unit::Quarter,
            "M" => Unit::Month,
            "W" => Unit::Week,
            "WE" => Unit::Weekend,
            "D" => Unit::Day,
            "H" => Unit::Hour,
            "MIN" => Unit::Minute,
            "S" => Unit::Second,
            "DE" => Unit::Decade,
            "CE" => Unit::Century,
            "ML" => Unit::Millennium,
            _ => return None,
        })
    }

    fn grain(self) -> Grain {
        match self {
            Unit::Year | Unit::Decade | Unit::Century | Unit::Millennium => Grain::Year,
            Unit::Half | Unit::Quarter => Grain::Quarter,
            Unit::Month => Grain::Month,
            Unit::Week | Unit::Weekend => Grain::Week,
            Unit::Day => Grain::Day,
            Unit::Hour => Grain::Hour,
            Unit::Minute => Grain::Minute,
            Unit::Second => Grain::Second,
        }
    }

    /// The duration of `n` units: `P5Y`, `PT3H`, `PXD`.
    fn duration(self, n: Option<f64>) -> String {
        let (scale, code, time) = match self {
            Unit::Year => (1.0, "Y", false),
            Unit::Half => (6.0, "M", false),
            Unit::Quarter => (3.0, "M", false),
            Unit::Month => (1.0, "M", false),
            Unit::Week => (1.0, "W", false),
            Unit::Weekend => (2.0, "D", false),
            Unit::Day => (1.0, "D", false),
            Unit::Hour => (1.0, "H", true),
            Unit::Minute => (1.0, "M", true),
            Unit::Second => (1.0, "S", true),
            Unit::Decade => (10.0, "Y", false),
            Unit::Century => (100.0, "Y", false),
            Unit::Millennium => (1000.0, "Y", false),
        };
        let t = if time { "T" } else { "" };
        match n {
            Some(n) => format!("P{t}{}{code}", fmt_num(n * scale)),
            None => {
                let code = match self {
                    Unit::Quarter => "Q",
                    Unit::Decade => "DE",
                    Unit::Century => "CE",
                    Unit::Millennium => "ML",
                    Unit::Weekend => "WE",
                    _ => code,
                };
                format!("P{t}X{code}")
            }
        }
    }
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A count: a number or an unknown quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Count {
    /// A known number.
    N(f64),
    /// "several", "a few".
    Few,
}

/// What the words of one expression say, before resolution.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Frame {
    pub(super) year: Option<i32>,
    pub(super) month: Option<u32>,
    pub(super) day: Option<u32>,
    pub(super) weekday: Option<u32>,
    pub(super) count: Option<Count>,
    pub(super) unit: Option<Unit>,
    pub(super) ord: Option<u32>,
    pub(super) season: Option<&'static str>,
    pub(super) daypart: Option<&'static str>,
    pub(super) shift: Option<i32>,
    pub(super) ago: Option<i32>,
    pub(super) deictic: Option<i32>,
    pub(super) vague: Option<&'static str>,
    pub(super) every: bool,
    pub(super) set_word: Option<&'static str>,
    pub(super) dur_word: Option<&'static str>,
    pub(super) modifier: Option<&'static str>,
    pub(super) hour: Option<u32>,
    pub(super) minute: Option<u32>,
    pub(super) ampm: Option<u32>,
    pub(super) decade: bool,
    pub(super) decade_word: Option<&'static str>,
}

impl Frame {
    /// Whether [`Frame::fill`] records anything for a word of `class`: markers (determiners,
    /// approximations, the hour mark...) only widen the span, so matching them needs no new frame.
    pub(super) fn records(class: Class) -> bool {
        !matches!(
            class,
            Class::Approx
                | Class::Det
                | Class::Hmark
                | Class::OrdSuffix
                | Class::Future
                | Class::NotYear
                | Class::Config
        )
    }

    /// Records a class word; false when the frame already has that field (the pattern fails).
    pub(super) fn fill(&mut self, class: Class, v: &'static str) -> bool {
        fn put<T>(slot: &mut Option<T>, v: Option<T>) -> bool {
            match (slot.is_some(), v) {
                (false, Some(v)) => {
                    *slot = Some(v);
                    true
                }
                _ => false,
            }
        }
        match class {
            Class::Month => put(&mut self.month, v.parse().ok()),
            Class::Weekday => put(&mut self.weekday, v.parse().ok()),
            Class::Num => put(&mut self.count, v.parse().ok().map(Count::N)),
            Class::Fuzzy => put(&mut self.count, Some(Count::Few)),
            Class::Ord => put(&mut self.ord, v.parse().ok()),
            Class::Unit => put(&mut self.unit, Unit::parse(v)),
            Class::Season => put(&mut self.season, Some(v)),
            Class::Daypart => put(&mut self.daypart, Some(v)),
            Class::Shift => put(&mut self.shift, v.parse().ok()),
            Class::Ago => put(&mut self.ago, v.parse().ok()),
            Class::Deictic => {
                let (d, part) = match v.split_once(':') {
                    Some((d, p)) => (d, Some(p)),
                    None => (v, None),
                };
                if let Some(p) = part {
                    if !put(&mut self.daypart, Some(p)) {
                        return false;
                    }
                }
                put(&mut self.deictic, d.parse().ok())
            }
            Class::Vague => put(&mut self.vague, Some(v)),
            Class::Every => !std::mem::replace(&mut self.every, true),
            Class::SetWord => put(&mut self.set_word, Some(v)),
            Class::DurWord => put(&mut self.dur_word, Some(v)),
            Class::Mod => put(&mut self.modifier, Some(v)),
            Class::Clock => {
                let Some((h, m)) = v.split_once(':') else {
                    return false;
                };
                put(&mut self.hour, h.parse().ok()) && put(&mut self.minute, m.parse().ok())
            }
            Class::Ampm => put(&mut self.ampm, v.parse().ok()),
            Class::Decade => !std::mem::replace(&mut self.decade, true),
            Class::DecadeWord => put(&mut self.decade_word, Some(v)),
            Class::Approx | Class::Det | Class::Hmark | Class::OrdSuffix => true,
            Class::Future | Class::NotYear | Class::Config => true,
        }
    }

    /// Sets the year once.
    pub(super) fn set_year(&mut self, y: i32) -> bool {
        self.year.replace(y).is_none()
    }

    /// Sets a full date when it exists.
    pub(super) fn set_ymd(&mut self, y: i32, m: u32, d: u32) -> bool {
        if NaiveDate::from_ymd_opt(y, m, d).is_none() || self.year.is_some() {
            return false;
        }
        self.year = Some(y);
        self.month = Some(m);
        self.day = Some(d);
        true
    }

    /// A complete calendar date stated by the frame itself.
    pub(super) fn full_date(&self) -> Option<NaiveDate> {
        if self.deictic.is_some() || self.ago.is_some() {
            return None;
        }
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }

    /// Fills the parts of a range's start that only its end states ("du 3 au 5 mai 2021").
    pub(super) fn inherit(&mut self, end: &Frame) {
        if self.day.is_some() && self.month.is_none() {
            self.month = end.month;
        }
        if (self.month.is_some() || self.season.is_some()) && self.year.is_none() {
            self.year = end.year;
        }
        if self.hour.is_some() && self.ampm.is_none() {
            self.ampm = end.ampm;
        }
    }
}

/// Whether the context points to the future or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tense {
    /// Past or present (the default in news).
    Past,
    /// A future cue precedes the expression.
    Future,
}

/// A resolved value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Value {
    pub(super) value: String,
    pub(super) kind: DateKind,
    pub(super) grain: Option<Grain>,
    pub(super) anchored: bool,
    pub(super) resolved: bool,
}

impl Value {
    fn new(value: String, kind: DateKind, grain: Option<Grain>) -> Value {
        Value {
            value,
            kind,
            grain,
            anchored: false,
            resolved: true,
        }
    }

    fn relative(mut self, anchor: Option<NaiveDate>) -> Value {
        self.anchored = anchor.is_some();
        self.resolved = anchor.is_some();
        self
    }
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn quarter(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let m = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    if n >= 0 {
        d.checked_add_months(m)
    } else {
        d.checked_sub_months(m)
    }
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let days = Days::new(n.unsigned_abs());
    if n >= 0 {
        d.checked_add_days(days)
    } else {
        d.checked_sub_days(days)
    }
}

/// `d` moved by `n` units and written at the unit's grain.
fn shifted(d: NaiveDate, unit: Unit, n: i64) -> Option<String> {
    let n = n.clamp(-100_000, 100_000);
    Some(match unit {
        Unit::Year => format!("{}", d.year() as i64 + n),
        Unit::Half => {
            let d = add_months(d, 6 * n)?;
            format!("{}-H{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
        }
        Unit::Quarter => {
            let d = add_months(d, 3 * n)?;
            format!("{}-Q{}", d.year(), quarter(d))
        }
        Unit::Month => add_months(d, n)?.format("%Y-%m").to_string(),
        Unit::Week => iso_week(add_days(d, 7 * n)?),
        Unit::Weekend => format!("{}-WE", iso_week(add_days(d, 7 * n)?)),
        Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => {
            let days = if unit == Unit::Day { n } else { 0 };
            add_days(d, days)?.format("%Y-%m-%d").to_string()
        }
        Unit::Decade => format!("{}", (d.year() as i64).div_euclid(10) + n),
        Unit::Century => format!("{}", (d.year() as i64).div_euclid(100) + n),
        Unit::Millennium => format!("{}", (d.year() as i64).div_euclid(1000) + n),
    })
}

fn offset(unit: Unit, n: i64) -> String {
    unit.duration(Some(n as f64))
}

fn weekday_of(n: u32) -> Option<Weekday> {
    Some(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return None,
    })
}

/// The date of weekday `w` near `a`: this week for shift 0, before or after `a` otherwise.
fn resolve_weekday(a: NaiveDate, w: u32, shift: Option<i32>, tense: Tense) -> Option<NaiveDate> {
    let target = weekday_of(w)?.num_days_from_monday() as i64;
    let today = a.weekday().num_days_from_monday() as i64;
    let delta = match (shift, tense) {
        (Some(0), _) => target - today,
        (Some(s), _) if s < 0 => -((today - target - 1).rem_euclid(7) + 1),
        (Some(_), _) => (target - today - 1).rem_euclid(7) + 1,
        (None, Tense::Future) => (target - today).rem_euclid(7),
        (None, Tense::Past) => -(today - target).rem_euclid(7),
    };
    add_days(a, delta)
}

/// How far ahead of the anchor a month or day without a year may lie before it is taken from the
/// year before (news mostly reports the past, and announces only the near future).
const LOOKAHEAD_DAYS: i64 = 62;

/// The year of month `m` (and day `d`) near the anchor: the most recent one, or one in the next two
/// months, unless a shift or the tense says which side.
fn year_for(a: NaiveDate, m: u32, d: Option<u32>, shift: Option<i32>, tense: Tense) -> i32 {
    let y = a.year();
    let day = d.unwrap_or(15);
    let date = |yy: i32| NaiveDate::from_ymd_opt(yy, m, day.min(28)).unwrap_or(a);
    let same_month = m == a.month();
    match shift {
        Some(0) => y,
        Some(s) if s < 0 => {
            let before = if d.is_some() {
                date(y) < a
            } else {
                m < a.month()
            };
            if before {
                y
            } else {
                y - 1
            }
        }
        Some(s) if s > 0 => {
            let after = if d.is_some() {
                date(y) > a
            } else {
                m > a.month()
            };
            if after {
                y
            } else {
                y + 1
            }
        }
        _ if same_month => y,
        _ if tense == Tense::Future => {
            if date(y) < a {
                y + 1
            } else {
                y
            }
        }
        _ => {
            // The latest candidate not beyond the look-ahead window.
            let limit = add_days(a, LOOKAHEAD_DAYS).unwrap_or(a);
            [y + 1, y, y - 1]
                .into_iter()
                .find(|&yy| date(yy) <= limit)
                .unwrap_or(y - 1)
        }
    }
}

/// The season index and its year for a date (January and February belong to the previous winter).
fn season_of(d: NaiveDate) -> (i32, usize) {
    match d.month() {
        3..=5 => (d.year(), 0),
        6..=8 => (d.year(), 1),
        9..=11 => (d.year(), 2),
        12 => (d.year(), 3),
        _ => (d.year() - 1, 3),
    }
}

const SEASONS: [&str; 4] = ["SP", "SU", "FA", "WI"];

fn time_suffix(f: &Frame) -> Option<(String, Grain)> {
    if let Some(h) = f.hour {
        let mut h = h;
        if let Some(add) = f.ampm {
            if h == 12 {
                h = 0;
            }
            h += add;
        }
        if h > 24 {
            return None;
        }
        return Some((
            format!("T{:02}:{:02}", h, f.minute.unwrap_or(0)),
            Grain::Minute,
        ));
    }
    f.daypart.map(|p| (format!("T{p}"), Grain::Hour))
}

/// Resolves one frame. `None` when the words do not make a temporal value.
/// `day` is the day a bare time of day refers to: the last day the text mentioned, or the anchor.
pub(super) fn resolve(
    f: &Frame,
    anchor: Option<NaiveDate>,
    day: Option<NaiveDate>,
    tense: Tense,
) -> Option<Value> {
    use DateKind::{Date, Duration, Set, Time};
    if let Some(v) = f.vague {
        return Some(Value::new(v.to_string(), Date, None));
    }
    if let Some(v) = f.set_word {
        return Some(Value::new(v.to_string(), Set, f.unit.map(Unit::grain)));
    }
    if f.every {
        let (value, grain) = if let Some(w) = f.weekday {
            (format!("XXXX-WXX-{w}"), Grain::Day)
        } else if let Some(m) = f.month {
            (format!("XXXX-{m:02}"), Grain::Month)
        } else if let Some(u) = f.unit {
            let n = match f.count {
                Some(Count::N(n)) => Some(n),
                Some(Count::Few) => None,
                None => Some(1.0),
            };
            // Recurrences keep the unit's own letter: "every quarter" is `P1Q`.
            let value = match (u, n) {
                (Unit::Quarter, Some(n)) => format!("P{}Q", fmt_num(n)),
                _ => u.duration(n),
            };
            (value, u.grain())
        } else {
            return None;
        };
        return Some(Value::new(value, Set, Some(grain)));
    }
    if let Some(v) = f.dur_word {
        return Some(Value::new(v.to_string(), Duration, None));
    }
    if let Some(v) = f.decade_word {
        return Some(Value::new(v.to_string(), Date, Some(Grain::Year)));
    }
    // A counted offset: "il y a cinq ans", "two weeks ago", "dans deux semaines".
    if let (Some(sign), Some(unit)) = (f.ago, f.unit) {
        let n = match f.count {
            Some(Count::Few) => {
                let v = if sign < 0 { "PAST_REF" } else { "FUTURE_REF" };
                return Some(Value::new(v.to_string(), Date, None));
            }
            Some(Count::N(n)) if n.fract() == 0.0 => n as i64,
            Some(Count::N(_)) => return None,
            None => 1,
        };
        let n = n * i64::from(sign.signum());
        return Some(relative(anchor, unit, n, Date));
    }
    // "the past two years", "the next three months": durations.
    if f.shift.is_some() && f.count.is_some() {
        if let Some(u) = f.unit {
            return Some(duration(f, u));
        }
    }
    // A day relative to today, with an optional time or part of the day.
    if let Some(d) = f.deictic.or(f.shift.filter(|_| {
        f.daypart.is_some() && f.weekday.is_none() && f.unit.is_none() && f.month.is_none()
    })) {
        let time = time_suffix(f);
        return Some(
            match anchor {
                Some(a) => {
                    let day = add_days(a, i64::from(d))?.format("%Y-%m-%d").to_string();
                    match time {
                        Some((t, g)) => Value::new(format!("{day}{t}"), Time, Some(g)),
                        None => Value::new(day, Date, Some(Grain::Day)),
                    }
                }
                None => {
                    let (kind, grain) = match time {
                        Some((_, g)) => (Time, g),
                        None => (Date, Grain::Day),
                    };
                    Value::new(offset(Unit::Day, i64::from(d)), kind, Some(grain))
                }
            }
            .relative(anchor),
        );
    }
    // Quarters and halves: "the third quarter", "Q3 2021".
    if let (Some(u @ (Unit::Quarter | Unit::Half)), Some(o)) = (f.unit, f.ord) {
        let max = if u == Unit::Quarter { 4 } else { 2 };
        if o == 0 || o > max {
            return None;
        }
        let tag = if u == Unit::Quarter { "Q" } else { "H" };
        let year = f
            .year
            .map(|y| (y, false))
            .or_else(|| anchor.map(|a| (a.year() + f.shift.unwrap_or(0), true)));
        return Some(match year {
            Some((y, anchored)) => Value {
                anchored,
                ..Value::new(format!("{y}-{tag}{o}"), Date, Some(Grain::Quarter))
            },
            None => Value {
                resolved: false,
                ..Value::new(format!("XXXX-{tag}{o}"), Date, Some(Grain::Quarter))
            },
        });
    }
    // Centuries: "the 20th century" -> 19.
    if let (Some(Unit::Century), Some(o)) = (f.unit, f.ord) {
        if o == 0 || o > 30 {
            return None;
        }
        return Some(Value::new(format!("{:02}", o - 1), Date, Some(Grain::Year)));
    }
    if f.unit == Some(Unit::Half) {
        // "half" alone is a fraction, not a period.
        return None;
    }
    // "last year", "this week", "le mois dernier", "the quarter".
    if let Some(u) = f
        .unit
        .filter(|_| f.month.is_none() && f.weekday.is_none() && f.season.is_none())
    {
        if let Some(s) = f.shift {
            let s = weekend_shift(u, s, anchor, tense);
            return Some(relative(anchor, u, i64::from(s), Date));
        }
        if f.count.is_some() {
            return Some(duration(f, u));
        }
        if f.decade && f.year.is_none() {
            return None;
        }
        if f.year.is_none() && f.modifier.is_some() {
            // "en début d'année", "at the end of the month".
            return Some(relative(anchor, u, 0, Date));
        }
    }
    if let Some(s) = f.season {
        let idx = SEASONS.iter().position(|x| *x == s)?;
        if let Some(y) = f.year {
            return Some(Value::new(format!("{y}-{s}"), Date, Some(Grain::Quarter)));
        }
        return Some(match anchor {
            Some(a) => {
                let (sy, cur) = season_of(a);
                let y = match f.shift {
                    Some(n) if n < 0 => {
                        if idx < cur {
                            sy
                        } else {
                            sy - 1
                        }
                    }
                    Some(n) if n > 0 => {
                        if idx > cur {
                            sy
                        } else {
                            sy + 1
                        }
                    }
                    Some(_) => sy,
                    // A season without year or shift is generic ("en été").
                    None => {
                        return Some(Value::new(format!("XXXX-{s}"), Date, Some(Grain::Quarter)))
                    }
                };
                Value::new(format!("{y}-{s}"), Date, Some(Grain::Quarter)).relative(anchor)
            }
            None => Value::new(format!("XXXX-{s}"), Date, Some(Grain::Quarter)).relative(None),
        });
    }
    if f.decade {
        // "les années 60": a two-digit decade of the twentieth century.
        let y = f.year.or(match f.count {
            Some(Count::N(n)) if (0.0..100.0).contains(&n) && n % 10.0 == 0.0 => {
                Some(1900 + n as i32)
            }
            _ => None,
        })?;
        return Some(Value::new(format!("{}", y / 10), Date, Some(Grain::Year)));
    }
    // Calendar dates, possibly partial, with an optional time.
    let time = time_suffix(f);
    let date: Option<(String, Grain, bool)> = if let (Some(m), Some(d)) = (f.month, f.day) {
        match f.year {
            Some(y) => Some((
                NaiveDate::from_ymd_opt(y, m, d)?
                    .format("%Y-%m-%d")
                    .to_string(),
                Grain::Day,
                false,
            )),
            None => match anchor {
                Some(a) => {
                    let y = year_for(a, m, Some(d), f.shift, tense);
                    let date = NaiveDate::from_ymd_opt(y, m, d)
                        .or_else(|| NaiveDate::from_ymd_opt(y + 1, m, d))?;
                    Some((date.format("%Y-%m-%d").to_string(), Grain::Day, true))
                }
                None => {
                    NaiveDate::from_ymd_opt(2000, m, d)?;
                    Some((format!("XXXX-{m:02}-{d:02}"), Grain::Day, true))
                }
            },
        }
    } else if let Some(m) = f.month {
        if f.day.is_some() {
            return None;
        }
        match (f.year, anchor) {
            (Some(y), _) => Some((format!("{y}-{m:02}"), Grain::Month, false)),
            (None, Some(a)) => Some((
                format!("{}-{m:02}", year_for(a, m, None, f.shift, tense)),
                Grain::Month,
                true,
            )),
            (None, None) => Some((format!("XXXX-{m:02}"), Grain::Month, true)),
        }
    } else if let Some(w) = f.weekday {
        match anchor {
            Some(a) => Some((
                resolve_weekday(a, w, f.shift, tense)?
                    .format("%Y-%m-%d")
                    .to_string(),
                Grain::Day,
                true,
            )),
            None => Some((format!("XXXX-WXX-{w}"), Grain::Day, true)),
        }
    } else {
        f.year.map(|y| (format!("{y}"), Grain::Year, false))
    };
    match (date, time) {
        (Some((d, g, rel)), None) => {
            let v = Value::new(d, Date, Some(g));
            Some(if rel { v.relative(anchor) } else { v })
        }
        (Some((d, _, rel)), Some((t, g))) => {
            let v = Value::new(format!("{d}{t}"), Time, Some(g));
            Some(if rel { v.relative(anchor) } else { v })
        }
        (None, Some((t, g))) => {
            if f.hour.is_none() && f.daypart.is_some() && f.unit.is_none() {
                // A bare part of the day ("la nuit", "the morning") on the anchor day.
                return Some(
                    match day {
                        Some(a) => {
                            Value::new(format!("{}{t}", a.format("%Y-%m-%d")), Time, Some(g))
                        }
                        None => Value::new(format!("XXXX-XX-XX{t}"), Time, Some(g)),
                    }
                    .relative(day),
                );
            }
            f.hour?;
            Some(
                match day {
                    Some(a) => Value::new(format!("{}{t}", a.format("%Y-%m-%d")), Time, Some(g)),
                    None => Value::new(format!("XXXX-XX-XX{t}"), Time, Some(g)),
                }
                .relative(day),
            )
        }
        (None, None) => {
            let u = f.unit?;
            if f.count.is_some() || f.modifier.is_some() {
                return Some(duration(f, u));
            }
            // "the quarter", "the weekend": the current one.
            let s = weekend_shift(u, 0, anchor, tense);
            Some(relative(anchor, u, i64::from(s), Date))
        }
    }
}

/// "This weekend" in a past-tense sentence written on a weekday is the one just gone.
fn weekend_shift(u: Unit, s: i32, anchor: Option<NaiveDate>, tense: Tense) -> i32 {
    let weekday = anchor.is_some_and(|a| a.weekday().num_days_from_monday() < 5);
    if u == Unit::Weekend && s == 0 && tense == Tense::Past && weekday {
        -1
    } else {
        s
    }
}

fn duration(f: &Frame, u: Unit) -> Value {
    let n = match f.count {
        Some(Count::N(n)) => Some(n),
        Some(Count::Few) => None,
        None => Some(1.0),
    };
    Value::new(u.duration(n), DateKind::Duration, Some(u.grain()))
}

fn relative(anchor: Option<NaiveDate>, unit: Unit, n: i64, kind: DateKind) -> Value {
    match anchor.and_then(|a| shifted(a, unit, n)) {
        Some(v) => Value::new(v, kind, Some(unit.grain())).relative(anchor),
        None => Value::new(offset(unit, n), kind, Some(unit.grain())).relative(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn weekdays_go_back_in_past_tense_and_forward_in_future() {
        let fri = day(1998, 5, 1);
        assert_eq!(
            resolve_weekday(fri, 1, None, Tense::Past),
            Some(day(1998, 4, 27))
        );
        assert_eq!(
            resolve_weekday(fri, 1, None, Tense::Future),
            Some(day(1998, 5, 4))
        );
        assert_eq!(resolve_weekday(fri, 5, None, Tense::Past), Some(fri));
        assert_eq!(
            resolve_weekday(fri, 5, Some(-1), Tense::Past),
            Some(day(1998, 4, 24))
        );
        assert_eq!(
            resolve_weekday(fri, 2, Some(1), Tense::Past),
            Some(day(1998, 5, 5))
        );
        assert_eq!(
            resolve_weekday(fri, 2, Some(0), Tense::Past),
            Some(day(1998, 4, 28))
        );
    }

    #[test]
    fn months_resolve_to_the_latest_year_unless_near_or_shifted() {
        let a = day(1998, 1, 8);
        assert_eq!(year_for(a, 10, None, None, Tense::Past), 1997);
        assert_eq!(year_for(a, 3, None, None, Tense::Past), 1997);
        assert_eq!(year_for(a, 6, None, None, Tense::Past), 1997);
        assert_eq!(year_for(a, 6, None, None, Tense::Future), 1998);
        assert_eq!(year_for(a, 9, None, Some(0), Tense::Past), 1998);
        assert_eq!(year_for(a, 2, None, None, Tense::Past), 1998);
        assert_eq!(
            year_for(day(1989, 10, 30), 12, None, Some(-1), Tense::Past),
            1988
        );
        assert_eq!(
            year_for(day(2021, 12, 8), 9, Some(26), Some(-1), Tense::Past),
            2021
        );
    }

    #[test]
    fn shifts_write_values_at_their_grain() {
        let a = day(1998, 3, 1);
        assert_eq!(shifted(a, Unit::Week, -1).as_deref(), Some("1998-W08"));
        assert_eq!(shifted(a, Unit::Year, -1).as_deref(), Some("1997"));
        assert_eq!(shifted(a, Unit::Month, 1).as_deref(), Some("1998-04"));
        assert_eq!(shifted(a, Unit::Quarter, -1).as_deref(), Some("1997-Q4"));
        assert_eq!(shifted(a, Unit::Decade, 0).as_deref(), Some("199"));
        assert_eq!(offset(Unit::Year, -5), "P-5Y");
    }

    #[test]
    fn durations_use_timex_units() {
        assert_eq!(Unit::Hour.duration(Some(3.0)), "PT3H");
        assert_eq!(Unit::Quarter.duration(Some(3.0)), "P9M");
        assert_eq!(Unit::Decade.duration(Some(2.0)), "P20Y");
        assert_eq!(Unit::Day.duration(None), "PXD");
        assert_eq!(Unit::Second.duration(Some(30.4)), "PT30.4S");
    }
}
