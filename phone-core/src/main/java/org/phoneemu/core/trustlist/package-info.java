/**
 * ITL and CTL bodies (docs/FORMATS.md §2): {@link org.phoneemu.core.trustlist.TrustList},
 * {@link org.phoneemu.core.trustlist.TrustRecord} (full certificate or certificate hash; matched by issuer + serial,
 * then bytes or hash), {@link org.phoneemu.core.trustlist.Role} (unknown codes kept and shown by number),
 * {@link org.phoneemu.core.trustlist.TrustListBuilder} (CUCM's layout) and
 * {@link org.phoneemu.core.trustlist.SignerCheck} (would a phone holding these lists accept a file's signature?).
 */
package org.phoneemu.core.trustlist;
