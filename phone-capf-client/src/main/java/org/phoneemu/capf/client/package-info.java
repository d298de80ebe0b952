/** The phone's CAPF client: one CAPF session over TLS, retried on communication failures (docs/CAPF.md §2). */
package org.phoneemu.capf.client;
