package imapsync_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cockpit/backend/ingest/imapsync"
)

// leaf is a server certificate for 127.0.0.1 signed by a CA that TestMain makes the only trusted root:
// Cockpit verifies servers against the system roots, which Go reads from SSL_CERT_FILE when it is set.
var leaf struct{ cert, key []byte }

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cockpit-imap-ca-")
	if err != nil {
		panic(err)
	}
	caPEM, err := makeCertificates()
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "ca.pem"), caPEM, 0o644)
	}
	if err != nil {
		panic(err)
	}
	os.Setenv("SSL_CERT_FILE", filepath.Join(dir, "ca.pem"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func makeCertificates() (caPEM []byte, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Cockpit test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	leaf.cert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	leaf.key = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), nil
}

// Implicit TLS and STARTTLS against Dovecot with a certificate, and the errors a wrong setting gives.
func TestTLSAndStartTLS(t *testing.T) {
	e := newEnv(t)
	if err := e.srv.EnableTLS(leaf.cert, leaf.key); err != nil {
		t.Fatal(err)
	}
	e.append("INBOX", plain(1, "加密连接", "x"))
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		port     int
		security string
		wantErr  string
	}{
		{"implicit TLS", e.srv.TLSPort, imapsync.SecurityTLS, ""},
		{"STARTTLS", e.srv.Port, imapsync.SecurityStartTLS, ""},
		{"TLS to the plain port", e.srv.Port, imapsync.SecurityTLS, "TLS handshake with 127.0.0.1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acct := imapsync.Account{Host: "127.0.0.1", Port: tc.port, Security: tc.security, Username: e.srv.User}
			res, err := imapsync.Test(ctx, acct, e.srv.Password, []imapsync.Folder{{Name: "INBOX", Role: "complaints"}})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Folders) == 0 || res.Folders[0].Name != "INBOX" || res.Folders[0].Messages != 1 {
				t.Fatalf("folders %+v", res.Folders)
			}
		})
	}
}

// A host that accepts the connection and never speaks IMAP (a web server's port typed by mistake) gives
// an error after the handshake limit instead of holding the sync.
func TestSilentServerTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent, until the listener closes
		}
	}()
	defer imapsync.SetHandshakeTimeout(300 * time.Millisecond)()
	port := l.Addr().(*net.TCPAddr).Port
	for _, sec := range []string{imapsync.SecurityPlain, imapsync.SecurityStartTLS, imapsync.SecurityTLS} {
		start := time.Now()
		_, err := imapsync.Test(context.Background(), imapsync.Account{Host: "127.0.0.1", Port: port, Security: sec, Username: "u"}, "pw", nil)
		if err == nil || !strings.Contains(err.Error(), "no answer within") || time.Since(start) > 10*time.Second {
			t.Fatalf("%s: error %v after %s, want the handshake limit", sec, err, time.Since(start))
		}
	}
}
