package catalog

import (
	"encoding/json"
	"fmt"
)

// The sources decode what servers and snapshot files send as it streams,
// one element at a time, so that nothing larger than one element is
// buffered (see JSONBudget for what bounds the whole).

// ShapeError is JSON of another shape than expected: a list where an
// object should be, say.
type ShapeError struct {
	Want  json.Delim
	Found json.Token
}

func (e *ShapeError) Error() string { return fmt.Sprintf("want %q, found %v", e.Want, e.Found) }

// ExpectDelim reads the next token, which must be want.
func ExpectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return &ShapeError{Want: want, Found: tok}
	}
	return nil
}

// StreamArray reads a JSON list, calling each once per element; each must
// decode (or skip) the element.
func StreamArray(dec *json.Decoder, each func() error) error {
	if err := ExpectDelim(dec, '['); err != nil {
		return err
	}
	for dec.More() {
		if err := each(); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// StreamObject reads a JSON object, calling field once per key; field must
// decode the value (Skip, for a key it does not use).
func StreamObject(dec *json.Decoder, field func(key string) error) error {
	if err := ExpectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if err := field(key); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// Skip reads the next value and drops it.
func Skip(dec *json.Decoder) error { return dec.Decode(&json.RawMessage{}) }
