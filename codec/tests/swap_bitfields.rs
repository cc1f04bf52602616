//! Bit-fields of a capture from a big-endian host: GCC lays them out from
//! the most significant bit there, so converting the capture to this host's
//! order moves them, by the declarations' bit metadata.

use nlwire::families::sock_diag::{TcpInfo, TcpInfoView};
use nlwire::wire::WireStruct;

/// A 280-byte `tcp_info` as a big-endian host sends it, with the bit-fields
/// in big-endian allocation order, and the same values as this host sends
/// them.
fn twins() -> (Vec<u8>, Vec<u8>) {
    let mut be = vec![0u8; TcpInfo::SIZE];
    let mut host = vec![0u8; TcpInfo::SIZE];
    // tcpi_state (u8) = 1, tcpi_snd_wscale = 7, tcpi_rcv_wscale = 9.
    be[0] = 1;
    host[0] = 1;
    be[6] = (7 << 4) | 9; // first declared field in the high nibble
    host[6] = 7 | (9 << 4);
    // tcpi_delivery_rate_app_limited = 1, tcpi_fastopen_client_fail = 2.
    be[7] = 0b1000_0000 | (2 << 5);
    host[7] = 1 | (2 << 1);
    // tcpi_rto (u32 at 8) = 204000.
    be[8..12].copy_from_slice(&204_000u32.to_be_bytes());
    host[8..12].copy_from_slice(&204_000u32.to_ne_bytes());
    // The AccECN word: ecn_mode = 2, accecn_opt_seen = 1, fail_mode = 5, options2 = 0x123456.
    let at = TcpInfo::field("tcpi_ecn_mode_bits")
        .or_else(|| {
            TcpInfo::FIELDS
                .iter()
                .find(|f| !f.bits.is_empty() && f.size == 4)
        })
        .unwrap()
        .offset;
    let be_word: u32 = (2 << 30) | (1 << 28) | (5 << 24) | 0x12_3456;
    let host_word: u32 = 2 | (1 << 2) | (5 << 4) | (0x12_3456 << 8);
    be[at..at + 4].copy_from_slice(&be_word.to_be_bytes());
    host[at..at + 4].copy_from_slice(&host_word.to_ne_bytes());
    if cfg!(target_endian = "big") {
        (host, be)
    } else {
        (be, host)
    }
}

#[test]
fn big_endian_bitfields_move_to_host_layout() {
    let (mut foreign, host) = twins();
    TcpInfo::swap_order(&mut foreign);
    assert_eq!(foreign, host);
    let v = TcpInfoView::new(&foreign);
    assert_eq!(v.tcpi_snd_wscale(), Some(7));
    assert_eq!(v.tcpi_rcv_wscale(), Some(9));
    assert_eq!(v.tcpi_delivery_rate_app_limited(), Some(1));
    assert_eq!(v.tcpi_fastopen_client_fail(), Some(2));
    assert_eq!(v.tcpi_rto(), Some(204_000));
    assert_eq!(v.tcpi_ecn_mode(), Some(2));
    assert_eq!(v.tcpi_accecn_opt_seen(), Some(1));
    assert_eq!(v.tcpi_accecn_fail_mode(), Some(5));
    assert_eq!(v.tcpi_options2(), Some(0x12_3456));
}

#[test]
fn bits_no_field_covers_are_kept() {
    // Byte 7 declares 3 bits; a big-endian host's bits 0..5 (the gap) move
    // to bits 3..8 here rather than being dropped.
    let (mut foreign, _) = twins();
    let i = 7;
    foreign[i] = if cfg!(target_endian = "little") {
        0b0001_0101
    } else {
        0b1010_1000
    };
    TcpInfo::swap_order(&mut foreign);
    let expect = if cfg!(target_endian = "little") {
        0b1010_1000
    } else {
        0b0001_0101
    };
    assert_eq!(foreign[i], expect);
}
