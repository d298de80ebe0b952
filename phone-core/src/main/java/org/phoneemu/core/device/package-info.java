/** What identifies a phone on the network: its MAC and the device names built from it. */
package org.phoneemu.core.device;
