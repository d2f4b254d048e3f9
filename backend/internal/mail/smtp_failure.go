package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// Why an SMTP conversation failed, as Classify tells it.
const (
	FailRefused      = "refused"       // nothing accepts connections at the host and port
	FailTimeout      = "timeout"       // no answer in time
	FailHostUnknown  = "host_unknown"  // the host name does not resolve
	FailTLS          = "tls"           // TLS handshake, certificate or STARTTLS
	FailAuth         = "auth"          // the username or password was refused, or no usable mechanism
	FailInsecureAuth = "insecure_auth" // credentials would travel in clear (ErrInsecureAuth)
	FailRejected     = "rejected"      // the server refused the sender, a recipient or the message
	FailOther        = "failed"        // anything else (a dropped connection, a protocol error)
)

// Failure is a classified SMTP failure. Its Message is ours alone: it never
// quotes what the remote server said, so that pointing the mail settings at
// some other host and port does not read that host's banner back (the test
// mail must not double as a port scanner).
type Failure struct {
	Kind    string
	Message string
}

// Classify sorts an error of SendTest (or of a delivery) into a Failure.
func Classify(err error) Failure {
	var dnsErr *net.DNSError
	var sendErr *gomail.SendError
	var netErr net.Error
	var recordErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	text := ""
	if err != nil {
		text = err.Error()
	}
	switch {
	case errors.Is(err, ErrInsecureAuth):
		return Failure{FailInsecureAuth, "A mail username is set but the connection would not be encrypted; turn on STARTTLS (mail_use_tls) or TLS (mail_use_ssl). Flicket sends credentials in clear only to a mail server on this machine."}
	case errors.Is(err, syscall.ECONNREFUSED):
		return Failure{FailRefused, "the connection was refused (is the host and port right?)"}
	case errors.As(err, &dnsErr):
		return Failure{FailHostUnknown, "the mail server's host name could not be resolved"}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return Failure{FailTimeout, "the mail server did not answer in time"}
	case errors.As(err, &recordErr), errors.As(err, &certErr), errors.As(err, &unknownCA),
		errors.As(err, &hostErr), errors.As(err, &invalidCert),
		strings.Contains(text, "tls:"), strings.Contains(text, "STARTTLS"):
		return Failure{FailTLS, "the TLS connection failed: the server does not offer STARTTLS, does not speak TLS on this port, or its certificate is not valid for this host"}
	case strings.Contains(text, "SMTP AUTH"), errors.Is(err, gomail.ErrNoSupportedAuthDiscovered):
		return Failure{FailAuth, "the mail server refused the username or password, or offers no sign-in method Flicket can use safely"}
	case errors.As(err, &sendErr):
		return Failure{FailRejected, "the mail server refused the sender, the recipient or the message"}
	default:
		return Failure{FailOther, "the conversation with the mail server failed"}
	}
}

// isLoopbackHost tells whether host names this machine: "localhost" or a
// loopback address. Names are not resolved: what they resolve to can change.
func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(strings.Trim(h, "[]"))
	return err == nil && a.Unmap().IsLoopback()
}
