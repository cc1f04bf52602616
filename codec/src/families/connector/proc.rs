//! The process events connector (`CN_IDX_PROC`, `CN_VAL_PROC`;
//! `<linux/cn_proc.h>` of Linux 6.x, drivers/connector/cn_proc.c): the
//! requests a listener sends (`struct proc_input`) and the events the
//! kernel multicasts to group `CN_IDX_PROC` (`struct proc_event`).

use zerocopy::byteorder::{NativeEndian as NE, I32, U32, U64};

use super::member::Member;
use crate::netlink::Tagged;
use crate::{nl_flags, nl_struct, open_enum, sub_message};

/// `enum proc_cn_mcast_op` (`<linux/cn_proc.h>`): what a listener asks.
#[open_enum(u32, consts)]
pub enum ProcCnMcastOp {
    /// `PROC_CN_MCAST_LISTEN`: start receiving events.
    #[nl(name = "PROC_CN_MCAST_LISTEN")]
    Listen = 1,
    /// `PROC_CN_MCAST_IGNORE`: stop receiving events.
    #[nl(name = "PROC_CN_MCAST_IGNORE")]
    Ignore = 2,
}

/// The `PROC_EVENT_*` bits (`enum what` of `struct proc_event` and `enum
/// proc_cn_event`, `<linux/cn_proc.h>`): each event is one bit, "so the
/// enums can be used to record sets of events as well" — the filter of
/// `struct proc_input` (`event_type`) is a set of them.
#[nl_flags(u32, table = PROC_EVENT_NAMES)]
pub enum ProcEventBits {
    /// `PROC_EVENT_FORK`: a task forked (`proc_fork_connector()`).
    PROC_EVENT_FORK = 0x0000_0001,
    /// `PROC_EVENT_EXEC`: a task called execve.
    PROC_EVENT_EXEC = 0x0000_0002,
    /// `PROC_EVENT_UID`: a task changed its user ids.
    PROC_EVENT_UID = 0x0000_0004,
    /// `PROC_EVENT_GID`: a task changed its group ids.
    PROC_EVENT_GID = 0x0000_0040,
    /// `PROC_EVENT_SID`: a task called setsid.
    PROC_EVENT_SID = 0x0000_0080,
    /// `PROC_EVENT_PTRACE`: a task was attached or detached by ptrace.
    PROC_EVENT_PTRACE = 0x0000_0100,
    /// `PROC_EVENT_COMM`: a task changed its `comm`.
    PROC_EVENT_COMM = 0x0000_0200,
    /// `PROC_EVENT_NONZERO_EXIT` (Linux 6.6): only for the filter of
    /// `struct proc_input`, an exit with a nonzero code.
    PROC_EVENT_NONZERO_EXIT = 0x2000_0000,
    /// `PROC_EVENT_COREDUMP`: a task dumped core.
    PROC_EVENT_COREDUMP = 0x4000_0000,
    /// `PROC_EVENT_EXIT`: a task exited.
    PROC_EVENT_EXIT = 0x8000_0000,
}

/// `PROC_EVENT_NONE` (`enum what`): no event, the acknowledgement of a
/// `PROC_CN_MCAST_LISTEN`/`IGNORE` (`cn_proc_ack()`, `event_data.ack`).
pub const PROC_EVENT_NONE: u32 = 0;

/// `PROC_EVENT_ALL` (`enum proc_cn_event`, Linux 6.6): every event, the
/// filter a listener without one gets.
pub const PROC_EVENT_ALL: u32 = PROC_EVENT_FORK
    | PROC_EVENT_EXEC
    | PROC_EVENT_UID
    | PROC_EVENT_GID
    | PROC_EVENT_SID
    | PROC_EVENT_PTRACE
    | PROC_EVENT_COMM
    | PROC_EVENT_NONZERO_EXIT
    | PROC_EVENT_COREDUMP
    | PROC_EVENT_EXIT;

/// `enum what` of `struct proc_event`: the one event a message reports
/// (the same values as [`ProcEventBits`], read as a value).
#[open_enum(u32)]
pub enum ProcEventWhat {
    /// `PROC_EVENT_NONE`: an acknowledgement.
    #[nl(name = "PROC_EVENT_NONE")]
    None = 0,
    /// `PROC_EVENT_FORK`.
    #[nl(name = "PROC_EVENT_FORK")]
    Fork = 0x0000_0001,
    /// `PROC_EVENT_EXEC`.
    #[nl(name = "PROC_EVENT_EXEC")]
    Exec = 0x0000_0002,
    /// `PROC_EVENT_UID`.
    #[nl(name = "PROC_EVENT_UID")]
    Uid = 0x0000_0004,
    /// `PROC_EVENT_GID`.
    #[nl(name = "PROC_EVENT_GID")]
    Gid = 0x0000_0040,
    /// `PROC_EVENT_SID`.
    #[nl(name = "PROC_EVENT_SID")]
    Sid = 0x0000_0080,
    /// `PROC_EVENT_PTRACE`.
    #[nl(name = "PROC_EVENT_PTRACE")]
    Ptrace = 0x0000_0100,
    /// `PROC_EVENT_COMM`.
    #[nl(name = "PROC_EVENT_COMM")]
    Comm = 0x0000_0200,
    /// `PROC_EVENT_NONZERO_EXIT`.
    #[nl(name = "PROC_EVENT_NONZERO_EXIT")]
    NonzeroExit = 0x2000_0000,
    /// `PROC_EVENT_COREDUMP`.
    #[nl(name = "PROC_EVENT_COREDUMP")]
    Coredump = 0x4000_0000,
    /// `PROC_EVENT_EXIT`.
    #[nl(name = "PROC_EVENT_EXIT")]
    Exit = 0x8000_0000,
}

/// `struct proc_input` (`<linux/cn_proc.h>`, Linux 6.6): a listener's
/// request, `cn_msg.len == sizeof(struct proc_input)`.
#[nl_struct(name = "proc_input")]
pub struct ProcInput {
    /// `mcast_op`: `PROC_CN_MCAST_LISTEN` or `PROC_CN_MCAST_IGNORE`.
    #[nl(enum = ProcCnMcastOp)]
    pub mcast_op: U32<NE>,
    /// `event_type`: the `PROC_EVENT_*` bits to receive
    /// (`enum proc_cn_event`).
    #[nl(flags = PROC_EVENT_NAMES)]
    pub event_type: U32<NE>,
}

/// A listener's request before Linux 6.6: a bare `enum proc_cn_mcast_op`
/// (`cn_msg.len == sizeof(enum proc_cn_mcast_op)`, still accepted by
/// `cn_proc_mcast_ctl()`).
#[nl_struct(name = "proc_cn_mcast_op", c_type = "enum proc_cn_mcast_op")]
pub struct ProcCnMcastOpMsg {
    /// The operation.
    #[nl(enum = ProcCnMcastOp)]
    pub mcast_op: U32<NE>,
}

/// The fixed part of `struct proc_event` (`<linux/cn_proc.h>`): `what`,
/// `cpu`, `timestamp_ns` (`__aligned(8)`, at offset 8 without padding);
/// the union `event_data` follows.
#[nl_struct(name = "proc_event")]
pub struct ProcEventHdr {
    /// `what`: the event, which selects the member of `event_data`.
    #[nl(enum = ProcEventWhat)]
    pub what: U32<NE>,
    /// `cpu`: the CPU that reported it.
    pub cpu: U32<NE>,
    /// `timestamp_ns`: nanoseconds since boot.
    pub timestamp_ns: U64<NE>,
}

/// `event_data.ack` (`PROC_EVENT_NONE`).
#[nl_struct(name = "ack", c_type = "struct proc_event_ack")]
pub struct ProcAck {
    /// `err`: 0, or the errno of the request (`EPERM`).
    pub err: U32<NE>,
}

/// `struct fork_proc_event` (`event_data.fork`, `PROC_EVENT_FORK`).
#[nl_struct(name = "fork_proc_event")]
pub struct ForkProcEvent {
    /// `parent_pid`.
    pub parent_pid: I32<NE>,
    /// `parent_tgid`.
    pub parent_tgid: I32<NE>,
    /// `child_pid`.
    pub child_pid: I32<NE>,
    /// `child_tgid`.
    pub child_tgid: I32<NE>,
}

/// `struct exec_proc_event` (`event_data.exec`, `PROC_EVENT_EXEC`).
#[nl_struct(name = "exec_proc_event")]
pub struct ExecProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
}

/// `struct id_proc_event` (`event_data.id`) for `PROC_EVENT_UID`: the
/// unions `r` and `e` hold `ruid` and `euid`.
#[nl_struct(name = "id_proc_event", c_type = "struct id_proc_event")]
pub struct UidProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
    /// `r.ruid`: the real user id.
    #[nl(name = "ruid")]
    pub ruid: U32<NE>,
    /// `e.euid`: the effective user id.
    #[nl(name = "euid")]
    pub euid: U32<NE>,
}

/// `struct id_proc_event` (`event_data.id`) for `PROC_EVENT_GID`: the
/// unions `r` and `e` hold `rgid` and `egid`.
#[nl_struct(name = "id_proc_event_gid", c_type = "struct id_proc_event")]
pub struct GidProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
    /// `r.rgid`: the real group id.
    pub rgid: U32<NE>,
    /// `e.egid`: the effective group id.
    pub egid: U32<NE>,
}

/// `struct sid_proc_event` (`event_data.sid`, `PROC_EVENT_SID`).
#[nl_struct(name = "sid_proc_event")]
pub struct SidProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
}

/// `struct ptrace_proc_event` (`event_data.ptrace`, `PROC_EVENT_PTRACE`).
#[nl_struct(name = "ptrace_proc_event")]
pub struct PtraceProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
    /// `tracer_pid`: 0 on detach.
    pub tracer_pid: I32<NE>,
    /// `tracer_tgid`.
    pub tracer_tgid: I32<NE>,
}

/// `struct comm_proc_event` (`event_data.comm`, `PROC_EVENT_COMM`).
#[nl_struct(name = "comm_proc_event")]
pub struct CommProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
    /// `comm[16]`: the new name, NUL-padded.
    pub comm: [u8; 16],
}

/// `struct coredump_proc_event` (`event_data.coredump`,
/// `PROC_EVENT_COREDUMP`).
#[nl_struct(name = "coredump_proc_event")]
pub struct CoredumpProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
    /// `parent_pid`.
    pub parent_pid: I32<NE>,
    /// `parent_tgid`.
    pub parent_tgid: I32<NE>,
}

/// `struct exit_proc_event` (`event_data.exit`, `PROC_EVENT_EXIT`).
#[nl_struct(name = "exit_proc_event")]
pub struct ExitProcEvent {
    /// `process_pid`.
    pub process_pid: I32<NE>,
    /// `process_tgid`.
    pub process_tgid: I32<NE>,
    /// `exit_code`: the wait status (`task->exit_code`).
    pub exit_code: U32<NE>,
    /// `exit_signal`: the signal sent to the parent.
    pub exit_signal: U32<NE>,
    /// `parent_pid`.
    pub parent_pid: I32<NE>,
    /// `parent_tgid`.
    pub parent_tgid: I32<NE>,
}

/// The union `event_data` of `struct proc_event`, by `what`. The kernel
/// zeroes the whole union before filling one member
/// (`memset(&ev->event_data, 0, sizeof(ev->event_data))` in cn_proc.c), so
/// each member is followed by the rest of the union ([`Member`]).
#[sub_message(name = "event_data", selector = "what")]
pub enum EventData<'a> {
    /// `ack` (`PROC_EVENT_NONE`).
    #[nl(select = PROC_EVENT_NONE)]
    Ack(Member<'a, ProcAck>),
    /// `fork`.
    #[nl(select = PROC_EVENT_FORK)]
    Fork(Member<'a, ForkProcEvent>),
    /// `exec`.
    #[nl(select = PROC_EVENT_EXEC)]
    Exec(Member<'a, ExecProcEvent>),
    /// `id` with `ruid`/`euid`.
    #[nl(select = PROC_EVENT_UID, member = "id")]
    Uid(Member<'a, UidProcEvent>),
    /// `id` with `rgid`/`egid`.
    #[nl(select = PROC_EVENT_GID, member = "id")]
    Gid(Member<'a, GidProcEvent>),
    /// `sid`.
    #[nl(select = PROC_EVENT_SID)]
    Sid(Member<'a, SidProcEvent>),
    /// `ptrace`.
    #[nl(select = PROC_EVENT_PTRACE)]
    Ptrace(Member<'a, PtraceProcEvent>),
    /// `comm`.
    #[nl(select = PROC_EVENT_COMM)]
    Comm(Member<'a, CommProcEvent>),
    /// `coredump`.
    #[nl(select = PROC_EVENT_COREDUMP)]
    Coredump(Member<'a, CoredumpProcEvent>),
    /// `exit` (also `PROC_EVENT_NONZERO_EXIT`, a filter bit the kernel
    /// reports as `PROC_EVENT_EXIT`).
    #[nl(select = PROC_EVENT_EXIT | PROC_EVENT_NONZERO_EXIT)]
    Exit(Member<'a, ExitProcEvent>),
}

/// A whole `struct proc_event`: the fixed part, then the member of
/// `event_data` that its `what` picks.
pub type ProcEvent<'a> = Tagged<'a, ProcEventHdr, EventData<'a>>;
