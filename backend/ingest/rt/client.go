// Package rt pulls escalated tickets from Request Tracker 5 over its REST 2.0 API and turns their
// transactions into timeline entries.
//
// Facts about RT 5.0.3 this package relies on (measured against Debian's request-tracker5):
//   - TicketSQL dates must be "YYYY-MM-DD HH:MM:SS" in UTC; a trailing "Z" is silently ignored and
//     matches everything, so times are always formatted by sqlTime.
//   - LastUpdated has one-second resolution and ">" is strict: the pull uses ">=" on the last seen
//     second and de-duplicates on (ticket id, transaction id).
//   - per_page is capped at 100; results are unordered unless orderby is given.
//   - Only GET /attachment/N returns exact bytes (base64); collection "Content" is lossy for binaries.
//   - Autoreply/notification copies arrive as EmailRecord transactions and are noise.
package rt

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client talks to one RT instance with an auth token.
type Client struct {
	base  string // ends in /REST/2.0
	token string
	http  *http.Client
}

// NewClient accepts the RT web root ("http://rt.example/rt") or the REST root ("…/REST/2.0").
func NewClient(baseURL, token string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("rt: base URL %q must be http(s)://host[:port][/path]", baseURL)
	}
	base := strings.TrimRight(u.String(), "/")
	if !strings.HasSuffix(base, "/REST/2.0") {
		base += "/REST/2.0"
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{base: base, token: token, http: hc}, nil
}

// APIError is a non-2xx answer; Message is RT's {"message": ...} when there is one.
type APIError struct {
	Status  int
	Message string
	URL     string
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return fmt.Sprintf("rt: %s: HTTP %d: %s", e.URL, e.Status, msg)
}

// ErrUnauthorized is wrapped by errors for a 401: a wrong or revoked token.
var ErrUnauthorized = errors.New("RT refused the token")

// get fetches path (relative to the REST root, or an absolute URL RT gave us) and returns the body.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	u := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		u = c.base + path
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("rt: %w", err)
	}
	return c.do(req)
}

func (c *Client) do(req *http.Request) ([]byte, error) {
	req.Header.Set("Authorization", "token "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("rt: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("rt: read %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode/100 != 2 {
		var m struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(body, &m)
		e := &APIError{Status: resp.StatusCode, Message: strings.TrimSpace(m.Message), URL: req.URL.Path}
		if resp.StatusCode == http.StatusUnauthorized {
			return nil, fmt.Errorf("%w: %w", ErrUnauthorized, e)
		}
		return nil, e
	}
	return body, nil
}

// Ping checks the URL and the token; it returns RT's version.
func (c *Client) Ping(ctx context.Context) (string, error) {
	body, err := c.get(ctx, "/rt", nil)
	if err != nil {
		return "", err
	}
	var v struct {
		Version string `json:"Version"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return "", fmt.Errorf("rt: %s does not look like RT's REST 2.0 API: %w", c.base, err)
	}
	return v.Version, nil
}

// collect follows next_page links and returns every item's raw JSON. RT caps per_page at 100.
func (c *Client) collect(ctx context.Context, path string, q url.Values) ([]json.RawMessage, error) {
	q.Set("per_page", "100")
	var all []json.RawMessage
	next, params := path, q
	for pages := 0; next != ""; pages++ {
		if pages > 100000 {
			return nil, fmt.Errorf("rt: %s: too many pages", path)
		}
		body, err := c.get(ctx, next, params)
		if err != nil {
			return nil, err
		}
		var p page[json.RawMessage]
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("rt: %s: bad collection JSON: %w", path, err)
		}
		all = append(all, p.Items...)
		if len(p.Items) == 0 {
			break
		}
		next, params = p.NextPage, nil
	}
	return all, nil
}

// TicketStamp is what a search returns: enough to order and de-duplicate.
type TicketStamp struct {
	ID          Flex `json:"id"`
	LastUpdated Time `json:"LastUpdated"`
}

// SearchUpdated lists tickets matching the TicketSQL filter updated at or after since, oldest update
// first and by id within a second, so a cursor can advance safely.
func (c *Client) SearchUpdated(ctx context.Context, filter string, since time.Time) ([]TicketStamp, error) {
	query := strings.TrimSpace(filter)
	if !since.IsZero() {
		cond := "LastUpdated >= '" + sqlTime(since) + "'"
		if query == "" {
			query = cond
		} else {
			query = "(" + query + ") AND " + cond
		}
	}
	if query == "" {
		query = "id > 0" // RT answers an empty query with an empty result
	}
	q := url.Values{}
	q.Set("query", query)
	q.Add("orderby", "LastUpdated")
	q.Add("order", "ASC")
	q.Add("orderby", "id")
	q.Add("order", "ASC")
	q.Set("fields", "LastUpdated")
	items, err := c.collect(ctx, "/tickets", q)
	if err != nil {
		return nil, err
	}
	out := make([]TicketStamp, 0, len(items))
	for _, raw := range items {
		var t TicketStamp
		if err := json.Unmarshal(raw, &t); err != nil {
			return nil, fmt.Errorf("rt: ticket search item %s: %w", truncate(raw), err)
		}
		out = append(out, t)
	}
	return out, nil
}

// Ticket returns one ticket and its raw JSON.
func (c *Client) Ticket(ctx context.Context, id int64) (Ticket, []byte, error) {
	body, err := c.get(ctx, "/ticket/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		return Ticket{}, nil, err
	}
	var t Ticket
	if err := json.Unmarshal(body, &t); err != nil {
		return Ticket{}, body, fmt.Errorf("rt: ticket %d: %w", id, err)
	}
	return t, body, nil
}

// RequestorEmails returns the requestors that are addresses (RT names mail-created users by their address).
func (t Ticket) RequestorEmails() []string {
	var out []string
	for _, r := range t.Requestor {
		if strings.Contains(r.ID, "@") {
			out = append(out, r.ID)
		}
	}
	return out
}

// HistoryItem is a transaction with the raw JSON it came from.
type HistoryItem struct {
	Transaction
	Raw json.RawMessage
	Err error // the item could not be decoded; Raw is kept
}

// History returns a ticket's transactions in id order.
func (c *Client) History(ctx context.Context, ticketID int64) ([]HistoryItem, error) {
	q := url.Values{}
	q.Set("fields", "Type,Created,Creator,Field,OldValue,NewValue,Data,ObjectType,ObjectId")
	q.Add("orderby", "id")
	q.Add("order", "ASC")
	items, err := c.collect(ctx, "/ticket/"+strconv.FormatInt(ticketID, 10)+"/history", q)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryItem, 0, len(items))
	for _, raw := range items {
		h := HistoryItem{Raw: raw}
		if err := json.Unmarshal(raw, &h.Transaction); err != nil {
			h.Err = fmt.Errorf("rt: ticket %d history item %s: %w", ticketID, truncate(raw), err)
		}
		out = append(out, h)
	}
	return out, nil
}

// TransactionAttachments lists a transaction's MIME parts without content.
func (c *Client) TransactionAttachments(ctx context.Context, txnID int64) ([]Attachment, error) {
	q := url.Values{}
	q.Set("fields", "ContentType,Filename,Subject,MessageId")
	q.Add("orderby", "id")
	q.Add("order", "ASC")
	items, err := c.collect(ctx, "/transaction/"+strconv.FormatInt(txnID, 10)+"/attachments", q)
	if err != nil {
		return nil, err
	}
	out := make([]Attachment, 0, len(items))
	for _, raw := range items {
		var a Attachment
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, fmt.Errorf("rt: transaction %d attachment %s: %w", txnID, truncate(raw), err)
		}
		out = append(out, a)
	}
	return out, nil
}

// AttachmentContent returns one attachment with its exact bytes (RT sends base64 with line breaks).
func (c *Client) AttachmentContent(ctx context.Context, id int64) (Attachment, []byte, error) {
	body, err := c.get(ctx, "/attachment/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		return Attachment{}, nil, err
	}
	var a Attachment
	if err := json.Unmarshal(body, &a); err != nil {
		return a, nil, fmt.Errorf("rt: attachment %d: %w", id, err)
	}
	if a.Content == nil {
		return a, nil, nil
	}
	data, err := decodeBase64(*a.Content)
	if err != nil {
		return a, nil, fmt.Errorf("rt: attachment %d content: %w", id, err)
	}
	return a, data, nil
}

func decodeBase64(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if b, err := base64.StdEncoding.DecodeString(clean); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
}

// sqlTime formats t the only way TicketSQL reads correctly (no "Z": RT would ignore the condition).
func sqlTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") }

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
