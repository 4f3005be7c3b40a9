//! A Jepsen-style list-append checker: given the history of transactions
//! that appended unique elements to lists and read them, and the lists'
//! final contents, find every anomaly.
//!
//! Owns: the history model ([`Txn`], [`Op`], [`Outcome`]) and the checks.
//! Must not: talk to a server (the test drives the workload and records
//! the history), or accept a history whose appended elements are not
//! unique (the checks rely on it; [`check`] reports it as a violation).
//!
//! Checked, for every key (append-only lists make these the whole story):
//! - every acknowledged append is in the final list exactly once, in the
//!   key it was appended to (no lost or duplicated writes);
//! - an append of a transaction that definitely failed is absent, and one
//!   whose outcome is unknown (the server was unreachable) appears at most
//!   once;
//! - the final list holds nothing that was never appended;
//! - every read of an acknowledged transaction is a prefix of the final
//!   list, so all readers saw one order (consistent across readers, no
//!   reordering);
//! - a transaction's appends to one key sit next to each other, in order,
//!   and a read after them in the same transaction ends with them
//!   (MULTI/EXEC ran atomically, nothing interleaved).

use std::collections::{BTreeMap, HashMap};

/// One operation of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// RPUSH `element` to `key`; elements are unique across the history.
    Append {
        /// The list.
        key: String,
        /// The unique element.
        element: String,
    },
    /// LRANGE `key` 0 -1; `observed` is what came back (`None` when the
    /// transaction was not acknowledged).
    Read {
        /// The list.
        key: String,
        /// The elements read, in order.
        observed: Option<Vec<String>>,
    },
}

/// How a transaction ended, as the client saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// EXEC's results came back: every operation ran.
    Ok,
    /// The server said it did not run (discarded): none ran.
    Failed,
    /// No answer (timeout, connection lost, 503): it may or may not have run.
    Unknown,
}

/// One transaction of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txn {
    /// Which client ran it (for messages).
    pub client: usize,
    /// The operations, in order.
    pub ops: Vec<Op>,
    /// How it ended.
    pub outcome: Outcome,
}

/// An anomaly found by [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// The same element was appended by two operations of the history.
    NonUniqueElement {
        /// The element.
        element: String,
    },
    /// An element appears more than once in a final list.
    Duplicate {
        /// The list.
        key: String,
        /// The element.
        element: String,
        /// How many times it appears.
        count: usize,
    },
    /// An acknowledged append is missing from its final list.
    Lost {
        /// The list.
        key: String,
        /// The element.
        element: String,
    },
    /// An append of a transaction that definitely failed is present.
    FailedButApplied {
        /// The list.
        key: String,
        /// The element.
        element: String,
    },
    /// A final list holds an element nobody appended to that key.
    Phantom {
        /// The list.
        key: String,
        /// The element.
        element: String,
    },
    /// A read is not a prefix of the final list: readers disagree on the
    /// order, or saw something that later vanished.
    NotPrefix {
        /// The list.
        key: String,
        /// Index of the reading transaction in the history.
        txn: usize,
        /// What it read.
        observed: Vec<String>,
    },
    /// One transaction's appends to a key are not adjacent and in order in
    /// the final list (another write interleaved).
    NotAtomic {
        /// The list.
        key: String,
        /// Index of the transaction in the history.
        txn: usize,
    },
    /// A read after the transaction's own appends does not end with them.
    ReadMissesOwnAppends {
        /// The list.
        key: String,
        /// Index of the transaction in the history.
        txn: usize,
    },
}

/// Checks `history` against the `final_lists` (key to its final contents,
/// read after every client stopped). An empty result means no anomaly.
pub fn check(history: &[Txn], final_lists: &BTreeMap<String, Vec<String>>) -> Vec<Violation> {
    let mut out = Vec::new();
    // element -> (key, outcome of its transaction)
    let mut appended: HashMap<&str, (&str, Outcome)> = HashMap::new();
    for txn in history {
        for op in &txn.ops {
            if let Op::Append { key, element } = op {
                if appended
                    .insert(element.as_str(), (key.as_str(), txn.outcome))
                    .is_some()
                {
                    out.push(Violation::NonUniqueElement {
                        element: element.clone(),
                    });
                }
            }
        }
    }
    // Positions in the final lists, and duplicates / phantoms / failures.
    let mut position: HashMap<(&str, &str), usize> = HashMap::new();
    for (key, list) in final_lists {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, element) in list.iter().enumerate() {
            *counts.entry(element.as_str()).or_default() += 1;
            position
                .entry((key.as_str(), element.as_str()))
                .or_insert(i);
        }
        for (element, count) in counts {
            match appended.get(element) {
                Some((k, outcome)) if *k == key.as_str() => {
                    if *outcome == Outcome::Failed {
                        out.push(Violation::FailedButApplied {
                            key: key.clone(),
                            element: element.to_owned(),
                        });
                    }
                }
                _ => out.push(Violation::Phantom {
                    key: key.clone(),
                    element: element.to_owned(),
                }),
            }
            if count > 1 {
                out.push(Violation::Duplicate {
                    key: key.clone(),
                    element: element.to_owned(),
                    count,
                });
            }
        }
    }
    let empty = Vec::new();
    for (index, txn) in history.iter().enumerate() {
        if txn.outcome != Outcome::Ok {
            continue;
        }
        // This transaction's appends per key so far, in order.
        let mut own: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for op in &txn.ops {
            match op {
                Op::Append { key, element } => {
                    if !position.contains_key(&(key.as_str(), element.as_str())) {
                        out.push(Violation::Lost {
                            key: key.clone(),
                            element: element.clone(),
                        });
                    }
                    own.entry(key.as_str()).or_default().push(element.as_str());
                }
                Op::Read { key, observed } => {
                    let observed = observed.as_deref().unwrap_or(&[]);
                    let list = final_lists.get(key).unwrap_or(&empty);
                    if observed.len() > list.len() || list[..observed.len()] != *observed {
                        out.push(Violation::NotPrefix {
                            key: key.clone(),
                            txn: index,
                            observed: observed.to_vec(),
                        });
                    }
                    if let Some(mine) = own.get(key.as_str()) {
                        let tail = observed
                            .len()
                            .checked_sub(mine.len())
                            .map(|s| &observed[s..]);
                        let ends_with_mine = tail
                            .is_some_and(|t| t.iter().map(String::as_str).eq(mine.iter().copied()));
                        if !ends_with_mine {
                            out.push(Violation::ReadMissesOwnAppends {
                                key: key.clone(),
                                txn: index,
                            });
                        }
                    }
                }
            }
        }
        for (key, mine) in own {
            let positions: Option<Vec<usize>> = mine
                .iter()
                .map(|e| position.get(&(key, *e)).copied())
                .collect();
            // Lost elements were reported above; adjacency is only
            // meaningful when all of them are there.
            if let Some(p) = positions {
                if p.windows(2).any(|w| w[1] != w[0] + 1) {
                    out.push(Violation::NotAtomic {
                        key: key.to_owned(),
                        txn: index,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(key: &str, element: &str) -> Op {
        Op::Append {
            key: key.to_owned(),
            element: element.to_owned(),
        }
    }

    fn read(key: &str, observed: &[&str]) -> Op {
        Op::Read {
            key: key.to_owned(),
            observed: Some(observed.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    fn txn(client: usize, ops: Vec<Op>, outcome: Outcome) -> Txn {
        Txn {
            client,
            ops,
            outcome,
        }
    }

    fn lists(entries: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
            .collect()
    }

    /// Two clients, two keys: a valid history.
    fn valid() -> (Vec<Txn>, BTreeMap<String, Vec<String>>) {
        let history = vec![
            txn(
                0,
                vec![append("x", "1"), append("x", "2"), read("x", &["1", "2"])],
                Outcome::Ok,
            ),
            txn(
                1,
                vec![read("x", &["1", "2"]), append("y", "3")],
                Outcome::Ok,
            ),
            txn(
                1,
                vec![append("x", "4"), read("y", &["3"])],
                Outcome::Unknown,
            ),
            txn(0, vec![append("y", "5")], Outcome::Failed),
            txn(
                0,
                vec![read("x", &["1", "2", "4"]), append("y", "6")],
                Outcome::Ok,
            ),
        ];
        let finals = lists(&[("x", &["1", "2", "4"]), ("y", &["3", "6"])]);
        (history, finals)
    }

    #[test]
    fn a_valid_history_passes() {
        let (history, finals) = valid();
        assert_eq!(check(&history, &finals), Vec::new());
    }

    #[test]
    fn an_unknown_outcome_may_be_absent() {
        let (mut history, _) = valid();
        history[4].ops[0] = read("x", &["1", "2"]);
        let finals = lists(&[("x", &["1", "2"]), ("y", &["3", "6"])]);
        assert_eq!(check(&history, &finals), Vec::new());
    }

    #[test]
    fn detects_a_duplicate() {
        let (history, _) = valid();
        let finals = lists(&[("x", &["1", "2", "4"]), ("y", &["3", "6", "3"])]);
        let v = check(&history, &finals);
        assert!(
            v.contains(&Violation::Duplicate {
                key: "y".to_owned(),
                element: "3".to_owned(),
                count: 2
            }),
            "{v:?}"
        );
    }

    #[test]
    fn detects_a_duplicate_of_an_unknown_append() {
        let (history, _) = valid();
        let finals = lists(&[("x", &["1", "2", "4", "4"]), ("y", &["3", "6"])]);
        let v = check(&history, &finals);
        assert!(
            v.iter()
                .any(|x| matches!(x, Violation::Duplicate { element, .. } if element == "4")),
            "{v:?}"
        );
    }

    #[test]
    fn detects_a_lost_append() {
        let (history, _) = valid();
        let finals = lists(&[("x", &["1", "2", "4"]), ("y", &["3"])]);
        let v = check(&history, &finals);
        assert_eq!(
            v,
            vec![Violation::Lost {
                key: "y".to_owned(),
                element: "6".to_owned()
            }]
        );
    }

    #[test]
    fn detects_a_reordering_between_readers() {
        let (history, _) = valid();
        // Readers saw 1 before 2; the final list says otherwise.
        let finals = lists(&[("x", &["2", "1", "4"]), ("y", &["3", "6"])]);
        let v = check(&history, &finals);
        assert!(
            v.iter()
                .any(|x| matches!(x, Violation::NotPrefix { key, .. } if key == "x")),
            "{v:?}"
        );
    }

    #[test]
    fn detects_readers_that_disagree() {
        let (mut history, finals) = valid();
        history[1].ops[0] = read("x", &["2", "1"]);
        let v = check(&history, &finals);
        assert!(
            v.contains(&Violation::NotPrefix {
                key: "x".to_owned(),
                txn: 1,
                observed: vec!["2".to_owned(), "1".to_owned()]
            }),
            "{v:?}"
        );
    }

    #[test]
    fn detects_a_failed_append_that_was_applied() {
        let (history, _) = valid();
        let finals = lists(&[("x", &["1", "2", "4"]), ("y", &["3", "5", "6"])]);
        let v = check(&history, &finals);
        assert!(
            v.contains(&Violation::FailedButApplied {
                key: "y".to_owned(),
                element: "5".to_owned()
            }),
            "{v:?}"
        );
    }

    #[test]
    fn detects_phantoms_and_wrong_keys() {
        let (history, _) = valid();
        let finals = lists(&[("x", &["1", "2", "4", "3"]), ("y", &["3", "6", "zz"])]);
        let v = check(&history, &finals);
        assert!(v.contains(&Violation::Phantom {
            key: "x".to_owned(),
            element: "3".to_owned()
        }));
        assert!(v.contains(&Violation::Phantom {
            key: "y".to_owned(),
            element: "zz".to_owned()
        }));
    }

    #[test]
    fn detects_an_interleaved_transaction() {
        let history = vec![
            txn(0, vec![append("x", "1"), append("x", "2")], Outcome::Ok),
            txn(1, vec![append("x", "3")], Outcome::Ok),
        ];
        let finals = lists(&[("x", &["1", "3", "2"])]);
        let v = check(&history, &finals);
        assert_eq!(
            v,
            vec![Violation::NotAtomic {
                key: "x".to_owned(),
                txn: 0
            }]
        );
    }

    #[test]
    fn detects_a_read_that_misses_its_own_appends() {
        let history = vec![txn(0, vec![append("x", "1"), read("x", &[])], Outcome::Ok)];
        let finals = lists(&[("x", &["1"])]);
        let v = check(&history, &finals);
        assert!(v.contains(&Violation::ReadMissesOwnAppends {
            key: "x".to_owned(),
            txn: 0
        }));
    }

    #[test]
    fn detects_non_unique_elements_in_the_history() {
        let history = vec![
            txn(0, vec![append("x", "1")], Outcome::Ok),
            txn(1, vec![append("x", "1")], Outcome::Ok),
        ];
        let finals = lists(&[("x", &["1", "1"])]);
        let v = check(&history, &finals);
        assert!(v.contains(&Violation::NonUniqueElement {
            element: "1".to_owned()
        }));
    }
}
