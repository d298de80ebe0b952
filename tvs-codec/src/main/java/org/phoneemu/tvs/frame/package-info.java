/**
 * The TVS wire codec (layout in docs/TVS.md): {@link org.phoneemu.tvs.frame.TvsFrame} and its elements, a strict
 * {@link org.phoneemu.tvs.frame.TvsFrameDecoder} and a {@link org.phoneemu.tvs.frame.TvsFrameEncoder}. Shared by
 * the phone's TVS client and the simulated CUCM's TVS server.
 */
package org.phoneemu.tvs.frame;
