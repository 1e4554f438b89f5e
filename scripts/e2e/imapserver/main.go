// Command imapserver serves a throwaway Dovecot on 127.0.0.1 for the e2e specs, so that adding a mailbox
// in the real window is tried against a real server: an INBOX with three complaints and a regulator
// folder named in Chinese with one letter. It prints the account as one JSON line on stdout, then runs
// until it is signalled, and stops Dovecot and removes its files.
package main

import (
	"encoding/json"
	"fmt"
	"mime"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"cockpit/backend/ingest/imapsync/dovecottest"
)

// RegulatorFolder is the folder the spec picks from the connection test.
const RegulatorFolder = "监管来函"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "imapserver:", err)
		os.Exit(1)
	}
}

func run() error {
	bin, err := dovecottest.Binary()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "cockpit-e2e-imap-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := dovecottest.StartIn(filepath.Join(dir, "dovecot"), bin)
	if err != nil {
		return err
	}
	defer srv.Stop()
	var inbox [][]byte
	for i, subject := range []string{"奶粉有结块，宝宝喝了拉肚子", "快递三周未到，要求退款", "面霜过敏，脸上起红疹"} {
		inbox = append(inbox, message(i+1, fmt.Sprintf("customer%d@example.com", i+1), subject,
			"您好，我的订单出了问题，请尽快处理。\r\n订单号：JD2026112500"+fmt.Sprint(i+1)+"\r\n"))
	}
	if _, err := srv.Append("INBOX", inbox...); err != nil {
		return err
	}
	letter := message(10, "12315@market.example.gov.cn", "关于消费者投诉的转办函",
		"工单号：1231520261125001，消费者反映奶粉结块。请于2026年12月10日前将处理结果回复我局。\r\n")
	if _, err := srv.Append(RegulatorFolder, letter); err != nil {
		return err
	}
	account := map[string]any{"host": "127.0.0.1", "port": srv.Port, "user": srv.User, "password": srv.Password,
		"inbox": len(inbox), "regulatorFolder": RegulatorFolder}
	if err := json.NewEncoder(os.Stdout).Encode(account); err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	return nil
}

func message(n int, from, subject, body string) []byte {
	return []byte(fmt.Sprintf("From: %s\r\nTo: service@shop.example\r\nSubject: %s\r\nDate: Wed, 25 Nov 2026 10:%02d:00 +0800\r\n"+
		"Message-ID: <e2e-%d@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s",
		from, mime.BEncoding.Encode("utf-8", subject), n, n, body))
}
