package org.phoneemu.core.signedfile;

import java.math.BigInteger;

/**
 * Who signed a file: the SIGNERID container of the header. Signers are matched by issuer + serial,
 * never by the subject string alone.
 */
public record SignerId(String name, String issuer, Bytes serial) {
    /** The serial as an unsigned integer: files store it without the DER sign byte. */
    public BigInteger serialNumber() {
        return new BigInteger(1, serial.toArray());
    }
}
