//! `nlwire ss -f FAMILY` (`--family`), as iproute2 `ss` spells the families:
//! `unix` (the unix tables, as `-x`), `inet` and `inet6` (`AF_INET`,
//! `AF_INET6`: as `-4`/`-6`), `link` (packet sockets, as `-0`), `netlink`
//! (as `--netlink`). As in ss's `filter_merge_defaults`, a family adds its
//! tables unless a table of that family is asked for: `-t -f inet` is TCP
//! over IPv4, `-x -f inet` unix sockets and every inet table over IPv4.
//! ss's `vsock`, `tipc` and `xdp` families are refused (no dump for them
//! here).

use super::SsArgs;

/// The options with `-f` turned into the table and family options it
/// stands for.
pub fn resolve(a: &SsArgs) -> Result<SsArgs, String> {
    let mut r = a.clone();
    // A child of `--all-namespaces` writes its part where the parent said.
    if let Some(p) = r.record_part.take() {
        r.record = Some(p);
    }
    if let Some(p) = r.diag_part.take() {
        r.diag = Some(p);
    }
    let (mut inet4, mut inet6) = (false, false);
    for f in a.family.iter().flat_map(|f| f.split(',')) {
        match f {
            "unix" => r.unix = true,
            "inet" => inet4 = true,
            "inet6" => inet6 = true,
            "link" => r.packet = true,
            "netlink" => r.netlink = true,
            "vsock" | "tipc" | "xdp" => {
                return Err(format!(
                    "family \"{f}\" is not supported by nlwire ss (supported: unix, inet, \
                     inet6, link, netlink)"
                ))
            }
            _ => return Err(format!("\"{f}\" is invalid family")),
        }
    }
    if inet4 || inet6 {
        r.ipv4 |= inet4;
        r.ipv6 |= inet6;
        let inet_query = r
            .query
            .iter()
            .flat_map(|q| q.split(','))
            .any(|q| matches!(q, "all" | "inet" | "tcp" | "udp" | "raw" | "mptcp"));
        let inet_table = r.tcp || r.udp || r.raw || r.mptcp || inet_query;
        let other_table = r.unix || r.packet || r.netlink || !r.query.is_empty();
        if !inet_table && other_table {
            r.tcp = true;
            r.udp = true;
            r.raw = true;
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        ss: SsArgs,
    }

    fn of(args: &[&str]) -> Result<SsArgs, String> {
        let cli = Cli::try_parse_from(std::iter::once("ss").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        resolve(&cli.ss)
    }

    #[test]
    fn families_as_ss_spells_them() {
        let r = of(&["-f", "unix"]).unwrap();
        assert!(r.unix && !r.tcp && !r.ipv4);
        let r = of(&["-f", "inet"]).unwrap();
        assert!(r.ipv4 && !r.ipv6 && !r.tcp, "every inet table, v4");
        let r = of(&["-t", "--family=inet6"]).unwrap();
        assert!(r.tcp && r.ipv6 && !r.udp);
        let r = of(&["-x", "-f", "inet"]).unwrap();
        assert!(r.unix && r.tcp && r.udp && r.raw && r.ipv4);
        let r = of(&["-f", "link,netlink"]).unwrap();
        assert!(r.packet && r.netlink);
        assert_eq!(
            of(&["-f", "bogus"]).unwrap_err(),
            "\"bogus\" is invalid family"
        );
        assert!(of(&["-f", "vsock"]).unwrap_err().contains("not supported"));
    }
}
