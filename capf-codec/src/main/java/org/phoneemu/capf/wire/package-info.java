/**
 * The CAPF wire format (docs/CAPF.md §1): a 8-byte header (magic {@code 0x55}, opcode, session id, length) and
 * TLV elements. Shared by the phone's client and the simulated cluster's CAPF server.
 */
package org.phoneemu.capf.wire;
