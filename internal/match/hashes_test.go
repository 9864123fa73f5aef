package match

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHashesRoundTripAndReadTheOldArrays(t *testing.T) {
	f := Features{Sig: Hashes{0, 1, 4294967295, 12345}, Words: Hashes{7}, Kind: "grant"}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"m":"AAAAAAEAAAD/////OTAAAA==","k":"grant","w":"BwAAAA=="}`; string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	for _, in := range []string{string(b), `{"m":[0,1,4294967295,12345],"k":"grant","w":[7]}`} {
		var got Features
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", in, err)
		}
		if diff := cmp.Diff(f, got); diff != "" {
			t.Errorf("json.Unmarshal(%s) (-want +got):\n%s", in, diff)
		}
	}
	for _, bad := range []string{`{"m":"AQAA"}`, `{"m":"!!!!"}`, `{"m":[-1]}`, `{"m":1}`} {
		var got Features
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("json.Unmarshal(%s) = %+v, want an error", bad, got)
		}
	}
}

// FuzzHashes checks that what ParseHashes accepts is written back to the
// same hashes.
func FuzzHashes(f *testing.F) {
	for _, s := range []string{"", "AAAAAA==", "AQAAAAIAAAD/////", "AQAA", "AQAA\nAAA=", "!!!!", "AAAAAAE="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHashes(s)
		if err != nil {
			return
		}
		b, err := h.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Hashes
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if len(h) == 0 && len(back) == 0 {
			return
		}
		if diff := cmp.Diff(h, back); diff != "" {
			t.Errorf("ParseHashes(%q) written as %s and read back (-first +again):\n%s", s, b, diff)
		}
	})
}
