package rt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RT 5's REST 2.0 answers mix JSON types for the same field (see docs in the package comment): ids are
// numbers on single objects and strings in collections, references are either "0" or an object, and an
// empty result's "pages" is the float 0.0. These tolerant types accept every observed shape so one odd
// field never fails a whole page.

// Flex is a scalar that RT sends as a string, a number, a bool or null; it keeps the text form.
type Flex string

// UnmarshalJSON accepts strings, numbers, booleans and null.
func (f *Flex) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = Flex(s)
	case b[0] == '{' || b[0] == '[':
		// A reference object where a scalar was expected: keep its id.
		var r Ref
		if err := r.UnmarshalJSON(b); err != nil {
			return err
		}
		*f = Flex(r.ID)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			*f = Flex(string(b)) // true/false
			return nil
		}
		*f = Flex(normalizeNumber(n))
	}
	return nil
}

// normalizeNumber writes 0.0 as "0" and 12 as "12" so that ids compare as text.
func normalizeNumber(n json.Number) string {
	if i, err := n.Int64(); err == nil {
		return strconv.FormatInt(i, 10)
	}
	if f, err := n.Float64(); err == nil && f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return n.String()
}

// Int returns the value as an integer (0 when empty or not a number).
func (f Flex) Int() int64 {
	s := strings.TrimSpace(string(f))
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return int64(x)
	}
	return 0
}

// Ref is a link to another RT object: {"type":"user","id":"root","_url":"..."}, or a bare "0"/number/name.
type Ref struct {
	Type string
	ID   string
	URL  string
}

// UnmarshalJSON accepts an object, a string, a number or null.
func (r *Ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			Type Flex `json:"type"`
			ID   Flex `json:"id"`
			URL  Flex `json:"_url"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*r = Ref{Type: string(o.Type), ID: string(o.ID), URL: string(o.URL)}
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		// Never observed for single refs; take the first element rather than fail.
		var list []Ref
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*r = Ref{}
		if len(list) > 0 {
			*r = list[0]
		}
		return nil
	}
	var f Flex
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	*r = Ref{ID: string(f)}
	if r.ID == "0" {
		r.ID = ""
	}
	return nil
}

// Refs is a list of references that may also arrive as a single one or null.
type Refs []Ref

// UnmarshalJSON accepts a list, a single reference or null.
func (rs *Refs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var list []Ref
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*rs = list
		return nil
	}
	var r Ref
	if err := r.UnmarshalJSON(b); err != nil {
		return err
	}
	*rs = nil
	if r.ID != "" {
		*rs = Refs{r}
	}
	return nil
}

// Time is an RT timestamp: "2026-11-25T05:52:33Z"; RT writes unset dates as the epoch, which becomes zero.
type Time struct{ time.Time }

// UnmarshalJSON accepts RFC 3339, "YYYY-MM-DD HH:MM:SS" (UTC), epoch and empty values.
func (t *Time) UnmarshalJSON(b []byte) error {
	var f Flex
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	s := strings.TrimSpace(string(f))
	t.Time = time.Time{}
	if s == "" || s == "Not set" {
		return nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			if v.Unix() > 0 {
				t.Time = v.UTC()
			}
			return nil
		}
	}
	return fmt.Errorf("rt: unknown time %q", s)
}

// page is RT's collection envelope. "pages" is a float when the result is empty, so all counts are Flex.
type page[T any] struct {
	Total    Flex   `json:"total"`
	Count    Flex   `json:"count"`
	Page     Flex   `json:"page"`
	PerPage  Flex   `json:"per_page"`
	Pages    Flex   `json:"pages"`
	NextPage string `json:"next_page"`
	Items    []T    `json:"items"`
}

// Hyperlink is one of an object's _hyperlinks.
type Hyperlink struct {
	Ref string `json:"ref"`
	URL string `json:"_url"`
}

// Ticket is the part of a ticket Cockpit uses.
type Ticket struct {
	ID          Flex        `json:"id"`
	Subject     string      `json:"Subject"`
	Status      string      `json:"Status"`
	Queue       Ref         `json:"Queue"`
	Owner       Ref         `json:"Owner"`
	Requestor   Refs        `json:"Requestor"`
	Priority    Flex        `json:"Priority"`
	Created     Time        `json:"Created"`
	LastUpdated Time        `json:"LastUpdated"`
	Due         Time        `json:"Due"`
	Resolved    Time        `json:"Resolved"`
	Links       []Hyperlink `json:"_hyperlinks"`
}

// Transaction is one entry of a ticket's history.
type Transaction struct {
	ID Flex `json:"id"`
	// RT sends both "type":"transaction" and "Type":"Correspond". encoding/json folds case when no field
	// matches a key exactly, so without this field "type" would overwrite Type depending on key order.
	ObjType    string      `json:"type"`
	Type       string      `json:"Type"`
	Created    Time        `json:"Created"`
	Creator    Ref         `json:"Creator"`
	Object     Ref         `json:"Object"`
	ObjectType string      `json:"ObjectType"`
	ObjectID   Flex        `json:"ObjectId"`
	Field      string      `json:"Field"`
	OldValue   Flex        `json:"OldValue"`
	NewValue   Flex        `json:"NewValue"`
	Data       Flex        `json:"Data"`
	Links      []Hyperlink `json:"_hyperlinks"`
}

// Attachment is one MIME part of a transaction; Content is base64 only on GET /attachment/N.
type Attachment struct {
	ID            Flex    `json:"id"`
	TransactionID Ref     `json:"TransactionId"`
	Parent        Ref     `json:"Parent"`
	ContentType   string  `json:"ContentType"`
	Filename      string  `json:"Filename"`
	Subject       string  `json:"Subject"`
	Headers       string  `json:"Headers"`
	MessageID     string  `json:"MessageId"`
	Content       *string `json:"Content"`
	Created       Time    `json:"Created"`
}
