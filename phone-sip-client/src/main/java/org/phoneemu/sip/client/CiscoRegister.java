package org.phoneemu.sip.client;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationPolicy;
import org.phoneemu.sip.codec.SipHeaders;
import org.phoneemu.sip.codec.SipMessage;

/**
 * A REGISTER as Cisco phones send it to CUCM (docs/SIP.md §4): the fields in the phone's order, the Contact carrying
 * {@code +sip.instance}, {@code +u.sip!devicename.ccm.cisco.com} and {@code +u.sip!model.ccm.cisco.com}, Expires 3600.
 */
public final class CiscoRegister {
    /** What the phone says it supports, as 9.x firmware lists it. */
    static final String SUPPORTED = "replaces,join,sdp-anat,norefersub,resource-priority,extended-refer,X-cisco-callinfo,"
            + "X-cisco-serviceuri,X-cisco-escapecodes,X-cisco-service-control,X-cisco-srtp-fallback,X-cisco-monrec,"
            + "X-cisco-config,X-cisco-sis-7.0.0,X-cisco-xsi-8.5.1";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private CiscoRegister() {
    }

    /** The ids that tie a REGISTER to its answer and to the next REGISTER of the same registration. */
    public record Dialog(String callId, String fromTag, long cseq, String branch) {
    }

    /**
     * @param localHost the phone's address as CallManager sees it (the connection's local address)
     * @param localPort the connection's local port
     * @param contactUser the Contact's user part (a random UUID per boot on 9.x firmware)
     */
    public static SipMessage.Request build(RegisterIdentity id, CallManagerTarget target, String localHost, int localPort,
                                           String contactUser, Dialog dialog, Instant now) {
        return build(id, target, localHost, localPort, contactUser, dialog, now, false);
    }

    /**
     * The keep-alive REGISTER a phone sends the backup CallManager of its group (Cisco TAC, "Troubleshoot IP Phone
     * Unregistration", document 200410: "SIP phone exchanges the Register message to Backup CUCM with Expires field set
     * to 0"; its trace's Contact ends {@code ;expires=0;cisco-keep-alive}): it registers nothing, it keeps the connection
     * warm.
     */
    public static SipMessage.Request keepAlive(RegisterIdentity id, CallManagerTarget target, String localHost, int localPort,
                                               String contactUser, Dialog dialog, Instant now) {
        return build(id, target, localHost, localPort, contactUser, dialog, now, true);
    }

    /** The Contact parameters that mark a keep-alive REGISTER (as in the TAC document's trace). */
    public static final String KEEP_ALIVE_PARAMETERS = ";expires=0;cisco-keep-alive";

    private static SipMessage.Request build(RegisterIdentity id, CallManagerTarget target, String localHost, int localPort,
                                            String contactUser, Dialog dialog, Instant now, boolean keepAlive) {
        String aor = "<sip:" + id.deviceName() + "@" + target.node() + ">";
        String contact = "<sip:" + contactUser + "@" + localHost + ":" + localPort + ";transport=" + target.transport().uriParameter()
                + ">;+sip.instance=\"<" + id.instanceUrn() + ">\";+u.sip!devicename.ccm.cisco.com=\"" + id.deviceName()
                + "\";+u.sip!model.ccm.cisco.com=\"" + id.productNumber() + "\"" + (keepAlive ? KEEP_ALIVE_PARAMETERS : "");
        SipHeaders h = SipHeaders.builder()
                .add("Via", "SIP/2.0/" + target.transport().viaName() + " " + localHost + ":" + localPort + ";branch=" + dialog.branch())
                .add("From", aor + ";tag=" + dialog.fromTag())
                .add("To", aor)
                .add("Call-ID", dialog.callId())
                .add("Max-Forwards", "70")
                .add("Date", DATE.format(now))
                .add("CSeq", dialog.cseq() + " REGISTER")
                .add("User-Agent", id.userAgent())
                .add("Contact", contact)
                .add("Supported", SUPPORTED)
                .add("Expires", keepAlive ? "0" : Integer.toString(RegistrationPolicy.REQUESTED_EXPIRES))
                .build();
        return new SipMessage.Request("REGISTER", "sip:" + target.node(), h, new byte[0]);
    }

    /**
     * The DeviceTLInfo alarm as a REFER to CallManager, headers in the order a 12.x phone sends them (a public capture):
     * the alarm is the body, named by {@code Refer-To: cid:} and {@code Content-Id}.
     *
     * @param contentId the body's id (random per alarm)
     */
    public static SipMessage.Request alarm(RegisterIdentity id, CallManagerTarget target, String localHost, int localPort,
                                           String contactUser, Dialog dialog, Instant now, String contentId, String alarmXml) {
        String self = "<sip:" + id.deviceName() + "@" + localHost + ">";
        String cid = contentId + "@" + localHost;
        SipHeaders h = SipHeaders.builder()
                .add("Via", "SIP/2.0/" + target.transport().viaName() + " " + localHost + ":" + localPort + ";branch=" + dialog.branch())
                .add("From", self + ";tag=" + dialog.fromTag())
                .add("To", "<sip:" + target.node() + ">")
                .add("Call-ID", dialog.callId())
                .add("Date", DATE.format(now))
                .add("CSeq", dialog.cseq() + " REFER")
                .add("User-Agent", id.userAgent())
                .add("Expires", "10")
                .add("Max-Forwards", "70")
                .add("Contact", "<sip:" + contactUser + "@" + localHost + ":" + localPort + ";transport=" + target.transport().uriParameter()
                        + ">;+u.sip!devicename.ccm.cisco.com=\"" + id.deviceName() + "\"")
                .add("Require", "norefersub")
                .add("Referred-By", self)
                .add("Refer-To", "cid:" + cid)
                .add("Content-Id", "<" + cid + ">")
                .add("Content-Type", org.phoneemu.core.sip.DeviceTlInfo.CONTENT_TYPE)
                .add("Content-Disposition", "session;handling=required")
                .build();
        return new SipMessage.Request("REFER", "sip:" + target.node(), h, alarmXml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
