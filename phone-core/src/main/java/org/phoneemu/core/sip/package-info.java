/**
 * The phone's SIP registration decisions, without I/O (docs/SIP.md): the transport ({@link
 * org.phoneemu.core.sip.SipTransportPolicy}), which CallManager certificates the phone accepts for SIP-TLS ({@link
 * org.phoneemu.core.sip.SipServerTrust}), the order it tries its CallManager group in and what each answer means ({@link
 * org.phoneemu.core.sip.RegistrationPolicy}), and what an attempt comes to ({@link
 * org.phoneemu.core.sip.RegistrationOutcome}). The client certificate is the phone's LSC, else its MIC ({@link
 * org.phoneemu.core.pki.PhoneIdentity#active()}, the same choice as for TVS and encrypted configs).
 */
package org.phoneemu.core.sip;
