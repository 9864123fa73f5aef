package sqlstore

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPositional(t *testing.T) {
	cases := []struct {
		name, q  string
		args     []any
		want     string
		wantArgs []any
		ok       bool
	}{
		{"repeated and out of order", "INSERT INTO t VALUES ($3, $1, $2), ($4, $1, $2)", []any{"s", "t", "a", "b"},
			"INSERT INTO t VALUES (?, ?, ?), (?, ?, ?)", []any{"a", "s", "t", "b", "s", "t"}, true},
		{"quotes, identifiers and comments keep their dollars",
			"SELECT json_extract(x, '$.a$1'), \"c$2\" -- $9\nFROM t /* $7 */ WHERE a = $2 AND b = $1", []any{1, 2},
			"SELECT json_extract(x, '$.a$1'), \"c$2\" -- $9\nFROM t /* $7 */ WHERE a = ? AND b = ?", []any{2, 1}, true},
		{"a doubled quote inside a literal", "SELECT 'it''s $1' || $1", []any{"x"}, "SELECT 'it''s $1' || ?", []any{"x"}, true},
		{"two digits", "SELECT $12, $1", []any{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "", nil, false},
		{"a placeholder past the arguments", "SELECT $1, $3", []any{1, 2}, "", nil, false},
		{"an argument never used", "SELECT $1", []any{1, 2}, "", nil, false},
		{"$0", "SELECT $0", []any{1}, "", nil, false},
		{"a named parameter", "SELECT $1abc", []any{1}, "", nil, false},
		{"an unclosed literal", "SELECT $1, 'abc", []any{1}, "", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, gotArgs, ok := positional(tc.q, tc.args)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v (got %q)", ok, tc.ok, got)
			}
			if !ok {
				if got != tc.q || !cmp.Equal(gotArgs, tc.args) {
					t.Fatalf("a statement that cannot be rewritten changed: %q %v", got, gotArgs)
				}
				return
			}
			if got != tc.want || !cmp.Equal(gotArgs, tc.wantArgs) {
				t.Fatalf("got %q %v, want %q %v", got, gotArgs, tc.want, tc.wantArgs)
			}
		})
	}
	// A statement over SQLite's parameter limit once rewritten stays as it is.
	var b strings.Builder
	b.WriteString("SELECT $1")
	for range positionalMax {
		b.WriteString(", $1")
	}
	if _, _, ok := positional(b.String(), []any{1}); ok {
		t.Fatal("rewrote a statement past the parameter limit")
	}
}

// FuzzPositional checks that a rewrite never loses or invents a parameter:
// each "?" it writes takes the argument its "$N" named, and a statement it
// cannot rewrite comes back unchanged.
func FuzzPositional(f *testing.F) {
	for _, s := range []string{"INSERT INTO t VALUES ($1, $2), ($3, $2)", "SELECT '$1' || $1 -- $2\n, $2", "/* $1 */ $2 $1", "$1 \"$2\" `$3` $3 $2"} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, q string, n uint8) {
		args := make([]any, n)
		for i := range args {
			args[i] = "arg" + strconv.Itoa(i+1)
		}
		got, gotArgs, ok := positional(q, args)
		if !ok {
			if got != q || len(gotArgs) != len(args) {
				t.Fatalf("unchanged statement expected, got %q", got)
			}
			return
		}
		if strings.Count(got, "?") < len(gotArgs) {
			t.Fatalf("%d arguments for fewer placeholders in %q", len(gotArgs), got)
		}
		// Writing each argument's number back in place of its "?" gives q,
		// since only placeholders outside quotes were rewritten.
		if back, rest := restore(got, q, gotArgs); rest || back != q {
			t.Fatalf("restoring %q gave %q, want %q", got, back, q)
		}
	})
}

// restore puts "$N" back for the "?" placeholders of got, in order, where q
// has a "$" at the same point; it reports whether arguments were left over.
func restore(got, q string, args []any) (string, bool) {
	var b strings.Builder
	k := 0
	for i, j := 0, 0; i < len(got); i++ {
		if got[i] == '?' && j < len(q) && q[j] == '$' && k < len(args) {
			n := strings.TrimPrefix(args[k].(string), "arg")
			b.WriteString("$" + n)
			j++
			for j < len(q) && isDigit(q[j]) {
				j++
			}
			k++
			continue
		}
		b.WriteByte(got[i])
		j++
	}
	return b.String(), k != len(args)
}
