//! The arguments of `nlwire decode`.

use std::path::PathBuf;

use clap::ValueEnum;
use nlwire::family::NetlinkFamily;

/// `--byte-order`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    /// Detect per frame from the `nlmsg_len` fields (ties: this host's order).
    Auto,
    /// Little-endian.
    Little,
    /// Big-endian.
    Big,
}

/// Arguments of `nlwire decode`.
#[derive(Clone, Debug, clap::Args)]
#[command(
    about = "Decode netlink messages from pcap/pcapng captures or hex",
    long_about = "Decode netlink messages from pcap/pcapng captures (LINKTYPE_NETLINK, \
                  LINUX_SLL, LINUX_SLL2) or from hex bytes. Without FILE and --hex, \
                  decodes the built-in sample capture.\n\n\
                  Exit status: 0 all decoded, 1 something was malformed (reported on \
                  stderr with frame, offset and reason), 2 usage or file error."
)]
pub struct DecodeArgs {
    /// pcap or pcapng files, "-" for standard input (default: the built-in
    /// sample capture).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Decode these bytes instead of a capture: hex with or without spaces,
    /// colons or 0x ("14 00 00 00 12 00 …"); "-" reads the hex from stdin.
    #[arg(
        long,
        value_name = "BYTES",
        conflicts_with = "files",
        allow_hyphen_values = true
    )]
    pub hex: Option<String>,

    /// Netlink family of --hex input, by name (route, sock_diag, generic,
    /// NETLINK_AUDIT, …) or number [default for --hex: route (0)]. With
    /// captures it overrides the family in each frame's pseudo-header.
    #[arg(long, value_name = "NAME|NUMBER", value_parser = parse_family)]
    pub family: Option<u16>,

    /// Byte order of the netlink bytes (a capture does not record it).
    #[arg(long, value_enum, default_value_t = OrderArg::Auto)]
    pub byte_order: OrderArg,

    /// Print JSON lines, one object per netlink message (docs/json-schema.md).
    #[arg(long, conflicts_with = "summary")]
    pub json: bool,

    /// Print counts per family and message type, errors and sockets.
    #[arg(long)]
    pub summary: bool,

    /// Strict parsing: unknown attributes, trailing bytes and non-zero
    /// padding are reported as malformed.
    #[arg(long)]
    pub strict: bool,

    /// Generic netlink family id ID is family NAME (repeatable), as if a
    /// CTRL_CMD_NEWFAMILY had announced it; ids are also learned from every
    /// CTRL_CMD_NEWFAMILY earlier in the input (a later one wins).
    #[arg(long = "genl-family", value_name = "ID=NAME", value_parser = parse_genl_family)]
    pub genl_family: Vec<(u16, String)>,
}

/// Parse `--genl-family ID=NAME`: a message type (decimal or 0x hex, from
/// `NLMSG_MIN_TYPE` on) and a name of 1 to `GENL_NAMSIZ` (16) bytes.
pub fn parse_genl_family(s: &str) -> Result<(u16, String), String> {
    let (id, name) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected ID=NAME (e.g. 36=ethtool)"))?;
    let id = id.trim();
    let id = match id.strip_prefix("0x").or_else(|| id.strip_prefix("0X")) {
        Some(h) => u16::from_str_radix(h, 16),
        None => id.parse::<u16>(),
    }
    .map_err(|e| format!("{s:?}: family id: {e}"))?;
    if id < nlwire::netlink::NLMSG_MIN_TYPE {
        return Err(format!(
            "{s:?}: family id {id} is a control message type (ids start at {})",
            nlwire::netlink::NLMSG_MIN_TYPE
        ));
    }
    if nlwire::family_ids::FamilyName::new(name.as_bytes()).is_none() || name.contains('\0') {
        return Err(format!(
            "{s:?}: family name must be 1 to {} bytes",
            nlwire::family_ids::NAME_MAX
        ));
    }
    Ok((id, name.to_string()))
}

/// Parse `--family`: a number, a `NETLINK_*` name with or without the
/// prefix (any case), or a common alias.
pub fn parse_family(s: &str) -> Result<u16, String> {
    let t = s.trim();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u16::from_str_radix(h, 16).map_err(|e| format!("{s:?}: {e}"));
    }
    if let Ok(n) = t.parse::<u16>() {
        return Ok(n);
    }
    let lower = t.to_ascii_lowercase();
    let bare = lower.strip_prefix("netlink_").unwrap_or(&lower);
    let alias = match bare {
        "rtnetlink" | "rtnl" => Some(0),
        "inet_diag" | "diag" => Some(4),
        "genl" | "genetlink" => Some(16),
        _ => None,
    };
    if let Some(n) = alias {
        return Ok(n);
    }
    NetlinkFamily::ALL
        .iter()
        .find(|(_, name)| name.to_ascii_lowercase().strip_prefix("netlink_") == Some(bare))
        .map(|(n, _)| *n)
        .ok_or_else(|| {
            let names: Vec<String> = NetlinkFamily::ALL
                .iter()
                .map(|(_, n)| n.trim_start_matches("NETLINK_").to_ascii_lowercase())
                .collect();
            format!(
                "unknown netlink family {s:?} (use a number or one of: {})",
                names.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_names_and_numbers() {
        assert_eq!(parse_family("4"), Ok(4));
        assert_eq!(parse_family("0x10"), Ok(16));
        assert_eq!(parse_family("sock_diag"), Ok(4));
        assert_eq!(parse_family("NETLINK_SOCK_DIAG"), Ok(4));
        assert_eq!(parse_family("inet_diag"), Ok(4));
        assert_eq!(parse_family("Route"), Ok(0));
        assert_eq!(parse_family("generic"), Ok(16));
        assert_eq!(parse_family("netlink_audit"), Ok(9));
        assert!(parse_family("bogus").unwrap_err().contains("sock_diag"));
    }

    #[test]
    fn genl_family_ids_and_names() {
        assert_eq!(parse_genl_family("36=ethtool"), Ok((36, "ethtool".into())));
        assert_eq!(parse_genl_family("0x25=toy"), Ok((0x25, "toy".into())));
        assert!(parse_genl_family("36").is_err());
        assert!(parse_genl_family("x=toy").is_err());
        assert!(parse_genl_family("2=toy").is_err());
        assert!(parse_genl_family("36=").is_err());
        assert!(parse_genl_family("36=abcdefghijklmnopq").is_err());
    }
}
