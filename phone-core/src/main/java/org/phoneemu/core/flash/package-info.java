/**
 * The phone's flash as the decisions see it: an interface only. The file-system implementation is
 * {@code org.phoneemu.core.store.TrustStore}.
 */
package org.phoneemu.core.flash;
