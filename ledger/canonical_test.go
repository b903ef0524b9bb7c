package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func TestCanonicalGolden(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{
			// RFC 8785 section 3.2.2.
			name: "rfc8785 example",
			in: json.RawMessage(`{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`),
			want: `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
		},
		{
			// RFC 8785 section 3.2.3: members sorted by UTF-16 code units,
			// so U+1F600 (a surrogate pair, 0xD83D...) sorts before U+FB33.
			name: "rfc8785 sorting",
			in: json.RawMessage(`{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`),
			want: "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
		},
		{
			name: "arabic and latin keys",
			in:   map[string]string{"عمر": "ar", "Omar": "latin", "omar": "lower", "Ömer": "tr"},
			want: `{"Omar":"latin","omar":"lower","Ömer":"tr","عمر":"ar"}`,
		},
		{
			// RFC 8785 appendix B, and section 3.2.2.3.
			name: "numbers",
			in: json.RawMessage(`[0, -0, 1e30, 1E21, 1e20, 4.50, 2e-3, 1e-6, 1e-7, -1.5e-7,
				9007199254740992, 999999999999999999, 5e-324, 1.7976931348623157e308,
				295147905179352830000, 0.000001, 123456789012345680000]`),
			want: `[0,0,1e+30,1e+21,100000000000000000000,4.5,0.002,0.000001,1e-7,-1.5e-7,` +
				`9007199254740992,1000000000000000000,5e-324,1.7976931348623157e+308,` +
				`295147905179352830000,0.000001,123456789012345680000]`,
		},
		{
			name: "escapes",
			in:   "\x00\x1f\t\b\f\n\r\"\\/<>&\u007f\u2028é",
			want: "\"\\u0000\\u001f\\t\\b\\f\\n\\r\\\"\\\\/<>&\u007f\u2028é\"",
		},
		{
			name: "struct field order and nesting",
			in: struct {
				Zeta  int            `json:"zeta"`
				Alpha []any          `json:"alpha"`
				Mid   map[string]any `json:"mid"`
				Omit  string         `json:"omit,omitempty"`
			}{
				Zeta:  3,
				Alpha: []any{4.50, "x", nil, true},
				Mid:   map[string]any{"b": 1e30, "a": map[string]any{}},
			},
			want: `{"alpha":[4.5,"x",null,true],"mid":{"a":{},"b":1e+30},"zeta":3}`,
		},
		{name: "empty object", in: json.RawMessage(` { } `), want: `{}`},
		{name: "empty array", in: []int{}, want: `[]`},
		{name: "bytes as base64", in: []byte{0, 1, 2}, want: `"AAEC"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err != nil {
				t.Fatalf("Canonical: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Canonical =\n%s\nwant\n%s", got, tt.want)
			}
			again, err := Canonical(json.RawMessage(got))
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("Canonical not idempotent: %s, %v", again, err)
			}
		})
	}
}

func TestCanonicalErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
	}{
		{"duplicate key", json.RawMessage(`{"a":1,"a":2}`)},
		{"invalid json", json.RawMessage(`{"a":`)},
		{"lone surrogate", json.RawMessage(`"\ud800"`)},
		{"NaN", math.NaN()},
		{"channel", make(chan int)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err == nil {
				t.Fatalf("Canonical = %s, want error", got)
			}
			if !strings.HasPrefix(err.Error(), "ledger: canonical: ") {
				t.Errorf("error %q lacks prefix", err)
			}
		})
	}
}

type roundTrip struct {
	Type       string            `json:"type"`
	Persons    []string          `json:"persons"`
	Count      int64             `json:"count"`
	Weight     float64           `json:"weight"`
	Names      map[string]string `json:"names"`
	Salt       string            `json:"salt"`
	Confirmed  bool              `json:"confirmed"`
	Correction *string           `json:"correction"`
}

func TestCanonicalRoundTrip(t *testing.T) {
	in := roundTrip{
		Type:    "handover.confirmed",
		Persons: []string{"p-1", "p-2"},
		Count:   1 << 52,
		Weight:  71.25,
		Names:   map[string]string{"ar": "أبو محمد", "en": "Abu Muhammad", "fr": "Abou \"Mohammed\""},
		Salt:    "AAECAwQFBgcICQoLDA0ODw",
	}
	c, err := Canonical(in)
	if err != nil {
		t.Fatal(err)
	}
	var out roundTrip
	if err := json.Unmarshal(c, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip: got %+v, want %+v", out, in)
	}
	c2, err := Canonical(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c, c2) {
		t.Errorf("re-encoding differs:\n%s\n%s", c, c2)
	}
}

func TestNewSalt(t *testing.T) {
	src := bytes.NewReader(bytes.Repeat([]byte{0xfb, 0xff}, 8))
	s, err := NewSalt(src)
	if err != nil {
		t.Fatal(err)
	}
	if want := "-__7__v_-__7__v_-__7_w"; s != want {
		t.Errorf("NewSalt = %q, want %q", s, want)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != SaltSize {
		t.Errorf("salt decodes to %d bytes, %v", len(b), err)
	}

	if _, err := NewSalt(bytes.NewReader(make([]byte, SaltSize-1))); err == nil {
		t.Error("NewSalt with a short reader: no error")
	}
	boom := errors.New("boom")
	if _, err := NewSalt(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("NewSalt error = %v, want it to wrap %v", err, boom)
	}
}

func TestLeafHash(t *testing.T) {
	for _, data := range []string{"", "a", `{"a":1}`} {
		want := sha256.Sum256(append([]byte{0}, data...))
		if got := LeafHash([]byte(data)); got != want {
			t.Errorf("LeafHash(%q) = %x, want %x", data, got, want)
		}
	}
	// RFC 6962 test vector: the hash of the empty leaf.
	if got := LeafHash(nil).String(); got != "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=" {
		t.Errorf("LeafHash(nil) = %s", got)
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `0`, `-0`, `1e30`, `4.50`, `"\u20ac"`, `"\ud83d\ude00"`,
		`{"b":1,"a":[true,false,null,{"c":"\n"}]}`, `{"a":1,"a":2}`, `[1e400]`,
		`"<>&\u2028"`, "\"\xff\"", `{"عمر":"Abu \"X\""}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Canonical(json.RawMessage(data))
		if err != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Canonical accepted invalid JSON %q", data)
		}
		if !utf8.Valid(c) || !json.Valid(c) {
			t.Fatalf("Canonical(%q) = %q: not valid UTF-8 JSON", data, c)
		}
		c2, err := Canonical(json.RawMessage(c))
		if err != nil {
			t.Fatalf("Canonical(Canonical(%q)): %v", data, err)
		}
		if !bytes.Equal(c, c2) {
			t.Fatalf("not idempotent: %q -> %q -> %q", data, c, c2)
		}
		// Decoding to Go values and encoding again gives the same bytes.
		if utf8.Valid(data) {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				return // e.g. a number beyond float64, which Canonical clamps
			}
			c3, err := Canonical(v)
			if err != nil {
				t.Fatalf("Canonical(decoded %q): %v", data, err)
			}
			if !bytes.Equal(c, c3) {
				t.Fatalf("decoded value encodes differently: %q -> %q, decoded -> %q", data, c, c3)
			}
		}
	})
}
