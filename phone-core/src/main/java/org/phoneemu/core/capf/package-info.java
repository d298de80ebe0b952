/**
 * The phone's CAPF decisions (docs/CAPF.md): which CAPF server certificate it accepts, how it authenticates,
 * which key requests it honours, and which issued certificate it installs. No network I/O here.
 */
package org.phoneemu.core.capf;
