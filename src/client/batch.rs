//! Batches: commands collected for one `/pipeline` (not atomic) or
//! `/multi-exec` (one MULTI/EXEC) request, and their typed results.
//!
//! Owns: queueing (with the first refusal stopping the batch before
//! anything is sent), scoping every queued command through the client's
//! namespace, and handing each command its own outcome back. Must not:
//! send anything itself (the client's send loop does) or parse replies
//! (the protocol layer's `decode_pipeline` / `decode_multi_exec` do).

use std::marker::PhantomData;
use std::sync::{Mutex, MutexGuard};

use crate::commands::Commands;
use crate::error::{Error, Result};
use crate::protocol::{
    decode_multi_exec, decode_pipeline, encode_batch, is_read_only, Command, Endpoint, FromValue,
    Slot, Value,
};

use super::Client;

/// Commands collected for one `/pipeline` or `/multi-exec` request.
///
/// Typed methods queue a command and hand back a [`SlotRef`] that picks its
/// typed result out of the [`Results`] after `exec`. Commands keep their
/// submission order.
#[derive(Debug)]
pub struct Batch {
    client: Client,
    endpoint: Endpoint,
    commands: Mutex<Queue>,
}

/// The queued commands, and the first error found while queueing (which
/// stops the whole batch before anything is sent).
#[derive(Debug, Default)]
struct Queue {
    commands: Vec<Command>,
    refused: Option<Error>,
}

impl Batch {
    /// An empty batch for `endpoint` (`/pipeline` or `/multi-exec`).
    pub(super) fn new(client: Client, endpoint: Endpoint) -> Self {
        Self {
            client,
            endpoint,
            commands: Mutex::new(Queue::default()),
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        // Plain data: a panic elsewhere cannot leave it torn.
        self.commands.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a raw command; its reply is a [`Value`].
    pub fn add(&self, command: Command) -> SlotRef<Value> {
        self.command(command)
    }

    /// How many commands are queued.
    pub fn len(&self) -> usize {
        self.queue().commands.len()
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sends the batch and fails with the first command error, if any.
    ///
    /// For a transaction discarded as a whole, the error is the server's.
    pub async fn exec(self) -> Result<Results> {
        let results = self.exec_each().await?;
        if let Some(Err(e)) = results.slots.iter().flatten().find(|s| s.is_err()) {
            return Err(e.clone());
        }
        Ok(results)
    }

    /// Sends the batch and keeps each command's own outcome: a failing command
    /// fails only its slot. The call itself fails only when the request
    /// failed, or a transaction was discarded as a whole.
    pub async fn exec_each(self) -> Result<Results> {
        let Queue { commands, refused } = std::mem::take(&mut *self.queue());
        if let Some(e) = refused {
            return Err(e);
        }
        let (names, slots) = self.client.exec_batch(commands, self.endpoint).await?;
        Ok(Results {
            names,
            slots: slots.into_iter().map(Some).collect(),
        })
    }
}

impl Commands for Batch {
    type Reply<T: FromValue + Send + 'static> = SlotRef<T>;

    fn command<T: FromValue + Send + 'static>(&self, command: Command) -> Self::Reply<T> {
        let mut queue = self.queue();
        queue.commands.push(command);
        SlotRef {
            index: queue.commands.len() - 1,
            _type: PhantomData,
        }
    }

    fn fail<T: FromValue + Send + 'static>(&self, error: Error) -> Self::Reply<T> {
        let mut queue = self.queue();
        queue.refused.get_or_insert(error);
        SlotRef {
            index: usize::MAX,
            _type: PhantomData,
        }
    }
}

/// Where a queued command's result will be, and its type.
#[derive(Debug)]
pub struct SlotRef<T> {
    index: usize,
    _type: PhantomData<fn() -> T>,
}

impl<T> SlotRef<T> {
    /// The command's position in its batch.
    pub fn index(&self) -> usize {
        self.index
    }
}

/// The outcomes of a batch, in submission order.
#[derive(Debug)]
pub struct Results {
    names: Vec<String>,
    slots: Vec<Option<Slot>>,
}

impl Results {
    /// Takes one command's typed result. Each slot can be taken once.
    pub fn take<T: FromValue>(&mut self, slot: SlotRef<T>) -> Result<T> {
        let name = self.names.get(slot.index).cloned().unwrap_or_default();
        let value = self
            .slots
            .get_mut(slot.index)
            .and_then(Option::take)
            .ok_or_else(|| {
                Error::invalid_request(
                    Some(&name),
                    "result slot already taken or not in this batch",
                )
            })??;
        T::from_value(value).map_err(|e| e.with_command(&name))
    }

    /// All outcomes as raw values, in order (taken slots are left out).
    pub fn into_slots(self) -> Vec<Slot> {
        self.slots.into_iter().flatten().collect()
    }

    /// How many commands the batch had.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True for an empty batch.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

impl Client {
    /// Runs `commands` as one batch; returns their upper-case names (for
    /// [`Results`]) and one slot per command. Takes the commands by value:
    /// scoping moves them instead of copying every argument.
    pub(super) async fn exec_batch(
        &self,
        commands: Vec<Command>,
        endpoint: Endpoint,
    ) -> Result<(Vec<String>, Vec<Slot>)> {
        if commands.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let names: Vec<String> = commands.iter().map(Command::upper_name).collect();
        let metrics = self.metrics();
        names.iter().for_each(|n| metrics.record_command(n));
        let mut scoped = Vec::with_capacity(commands.len());
        let mut replies = Vec::with_capacity(commands.len());
        for (command, name) in commands.into_iter().zip(&names) {
            // One refused command stops the whole batch before sending.
            let (command, reply) = self.scope(command).map_err(|e| self.failed(name, e))?;
            scoped.push(command);
            replies.push(reply);
        }
        let label = match endpoint {
            Endpoint::MultiExec => "MULTI",
            _ => "PIPELINE",
        };
        let read_only = names.iter().all(|n| is_read_only(n));
        let request = encode_batch(&scoped, endpoint).map_err(|e| self.failed(label, e))?;
        let slots = self
            .send_with_retry(&request, label, read_only, |resp| match endpoint {
                Endpoint::MultiExec => decode_multi_exec(resp.status, &resp.body, &names),
                _ => decode_pipeline(resp.status, &resp.body, &names),
            })
            .await
            .map_err(|e| self.failed(label, e))?;
        // Each failed command counts as an error of its own kind.
        slots
            .iter()
            .filter_map(|s| s.as_ref().err())
            .for_each(|e| metrics.record_error(e.kind_label()));
        let slots = slots
            .into_iter()
            .zip(replies)
            .map(|(slot, reply)| slot.map(|value| self.unscope(reply, value)))
            .collect();
        Ok((names, slots))
    }
}
