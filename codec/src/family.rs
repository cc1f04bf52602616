//! Netlink protocol families (`NETLINK_*` of `<linux/netlink.h>`), the
//! number carried in an nlmon capture's pseudo-header and passed to
//! `socket(AF_NETLINK, SOCK_RAW, protocol)`.

use crate::open_enum;

/// A netlink protocol family.
#[open_enum(u16, consts)]
pub enum NetlinkFamily {
    /// `NETLINK_ROUTE`: routing and link updates (rtnetlink(7)).
    #[nl(name = "NETLINK_ROUTE")]
    Route = 0,
    /// `NETLINK_UNUSED`.
    #[nl(name = "NETLINK_UNUSED")]
    Unused = 1,
    /// `NETLINK_USERSOCK`: reserved for user-mode socket protocols.
    #[nl(name = "NETLINK_USERSOCK")]
    Usersock = 2,
    /// `NETLINK_FIREWALL`: unused number, formerly ip_queue.
    #[nl(name = "NETLINK_FIREWALL")]
    Firewall = 3,
    /// `NETLINK_SOCK_DIAG`: socket monitoring (sock_diag(7)).
    #[nl(name = "NETLINK_SOCK_DIAG")]
    SockDiag = 4,
    /// `NETLINK_NFLOG`: netfilter/iptables ULOG.
    #[nl(name = "NETLINK_NFLOG")]
    Nflog = 5,
    /// `NETLINK_XFRM`: IPsec.
    #[nl(name = "NETLINK_XFRM")]
    Xfrm = 6,
    /// `NETLINK_SELINUX`: SELinux event notifications.
    #[nl(name = "NETLINK_SELINUX")]
    Selinux = 7,
    /// `NETLINK_ISCSI`: Open-iSCSI.
    #[nl(name = "NETLINK_ISCSI")]
    Iscsi = 8,
    /// `NETLINK_AUDIT`: auditing.
    #[nl(name = "NETLINK_AUDIT")]
    Audit = 9,
    /// `NETLINK_FIB_LOOKUP`.
    #[nl(name = "NETLINK_FIB_LOOKUP")]
    FibLookup = 10,
    /// `NETLINK_CONNECTOR`.
    #[nl(name = "NETLINK_CONNECTOR")]
    Connector = 11,
    /// `NETLINK_NETFILTER`: netfilter subsystem.
    #[nl(name = "NETLINK_NETFILTER")]
    Netfilter = 12,
    /// `NETLINK_IP6_FW`.
    #[nl(name = "NETLINK_IP6_FW")]
    Ip6Fw = 13,
    /// `NETLINK_DNRTMSG`: DECnet routing messages.
    #[nl(name = "NETLINK_DNRTMSG")]
    Dnrtmsg = 14,
    /// `NETLINK_KOBJECT_UEVENT`: kernel messages to userspace.
    #[nl(name = "NETLINK_KOBJECT_UEVENT")]
    KobjectUevent = 15,
    /// `NETLINK_GENERIC`: generic netlink (genetlink).
    #[nl(name = "NETLINK_GENERIC")]
    Generic = 16,
    /// `NETLINK_SCSITRANSPORT`: SCSI transports.
    #[nl(name = "NETLINK_SCSITRANSPORT")]
    Scsitransport = 18,
    /// `NETLINK_ECRYPTFS`.
    #[nl(name = "NETLINK_ECRYPTFS")]
    Ecryptfs = 19,
    /// `NETLINK_RDMA`.
    #[nl(name = "NETLINK_RDMA")]
    Rdma = 20,
    /// `NETLINK_CRYPTO`: crypto layer.
    #[nl(name = "NETLINK_CRYPTO")]
    Crypto = 21,
    /// `NETLINK_SMC`: SMC monitoring.
    #[nl(name = "NETLINK_SMC")]
    Smc = 22,
}
