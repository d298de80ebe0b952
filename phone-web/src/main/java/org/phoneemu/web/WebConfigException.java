package org.phoneemu.web;

/** The web server cannot start as asked (unsafe bind, bad token, port taken): a one-line reason for the user. */
public final class WebConfigException extends Exception {
    public WebConfigException(String message) {
        super(message);
    }
}
