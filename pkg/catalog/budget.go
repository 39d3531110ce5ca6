package catalog

import (
	"fmt"
	"io"
)

// JSONBudget is a reader of JSON that bounds what a decoder downstream can
// build: it counts the bytes and the JSON values (roughly: the commas,
// colons and opening brackets outside strings) that pass through it, and
// fails once either passes its limit. The bytes bound the strings decoded;
// the values bound the maps, slices and boxes built around them, which can
// cost ten times the text they come from ({"a":0,"b":0,…}). Limits <= 0
// are not checked.
type JSONBudget struct {
	R         io.Reader
	MaxBytes  int64
	MaxValues int64
	// MaxPart bounds the bytes between two calls of Mark (one entity of
	// a list, say); <= 0: not checked.
	MaxPart int64
	// What limits the answer, for the error: "the snapshot", "page 3";
	// Part names what MaxPart limits: "an entity".
	What, Part string
	// Verbatim passes the bytes on unchanged: whitespace is not squeezed.
	Verbatim bool

	Bytes, Values int64
	mark          int64
	marked        bool
	inStr, esc    bool
	space         bool // the last byte passed on was whitespace outside a string
	err           error
}

// Mark starts a new part (see MaxPart).
func (b *JSONBudget) Mark() { b.mark, b.marked = b.Bytes, true }

// LimitError is the error of a JSONBudget past its limit.
type LimitError struct {
	What  string
	Bytes bool // the byte limit (else the value limit)
	Limit int64
	Part  bool // the limit of a part: What names the part
}

func (e *LimitError) Error() string {
	if e.Bytes || e.Part {
		return fmt.Sprintf("%s is larger than %s", e.What, sizeText(e.Limit))
	}
	return fmt.Sprintf("%s holds more than %d JSON values", e.What, e.Limit)
}

// sizeText prints a byte count in MiB (or KiB, or bytes).
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read passes the JSON on with each run of whitespace outside strings
// squeezed to one space: encoding/json rescans leading whitespace on each
// refill, so a long run of it (a bomb of spaces) would cost quadratic time.
func (b *JSONBudget) Read(p []byte) (int, error) {
	for {
		if b.err != nil {
			return 0, b.err
		}
		n, err := b.R.Read(p)
		b.Bytes += int64(n)
		w := 0
		for _, c := range p[:n] {
			if b.inStr {
				switch {
				case b.esc:
					b.esc = false
				case c == '\\':
					b.esc = true
				case c == '"':
					b.inStr = false
				}
				p[w] = c
				w++
				b.space = false
				continue
			}
			switch c {
			case ' ', '\t', '\r', '\n':
				if b.Verbatim {
					break
				}
				if b.space {
					continue
				}
				b.space = true
				p[w] = ' '
				w++
				continue
			case '"':
				b.inStr = true
			case ',', ':', '[', '{':
				b.Values++
			}
			b.space = false
			p[w] = c
			w++
		}
		switch {
		case b.MaxBytes > 0 && b.Bytes > b.MaxBytes:
			b.err = &LimitError{What: b.What, Bytes: true, Limit: b.MaxBytes}
		case b.MaxValues > 0 && b.Values > b.MaxValues:
			b.err = &LimitError{What: b.What, Limit: b.MaxValues}
		case b.MaxPart > 0 && b.marked && b.Bytes-b.mark > b.MaxPart:
			b.err = &LimitError{What: b.Part + " of " + b.What, Part: true, Limit: b.MaxPart}
		}
		if b.err != nil {
			// Nothing of the chunk that passed the limit is passed on, so
			// that what was read cannot complete as a whole document.
			return 0, b.err
		}
		if w > 0 || err != nil || n == 0 {
			return w, err
		}
		// All squeezed away: read on rather than return 0, nil.
	}
}
