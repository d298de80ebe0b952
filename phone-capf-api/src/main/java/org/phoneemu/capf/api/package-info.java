/**
 * What a phone asks of CAPF and what it gets back: the request, the flash a session writes, the outcome. Netty-free, so a
 * phone and its network interface need no CAPF client (the Netty client is {@code org.phoneemu.capf.client}).
 */
package org.phoneemu.capf.api;
