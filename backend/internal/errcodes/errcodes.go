// Package errcodes lists every error code the API can send, read from the
// source: the codes of the error bodies ("group.duplicate") and of their
// field errors ("min"). api-docs/error-codes.json is that list; the web
// app's tests check it has a sentence in every language for each code.
package errcodes

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Codes are the codes the API can send.
type Codes struct {
	// Codes of error bodies (ErrorBody.code).
	Codes []string `json:"codes"`
	// FieldCodes of field errors (ErrorBody.errors[].code).
	FieldCodes []string `json:"field_codes"`
}

// codeArg names the functions that take a code: which argument, and whether
// it is the body's code, a field's, or both (model.Conflict). A field code
// also implies the body code that functions sends with it.
var codeArg = map[string]struct {
	index       int
	body, field bool
	implied     string
}{
	"newError":        {index: 1, body: true},
	"errBadRequest":   {index: 0, body: true},
	"errConflict":     {index: 0, body: true},
	"errUnauthorized": {index: 0, body: true},
	"Conflict":        {index: 0, body: true, field: true},
	"errField":        {index: 1, field: true, implied: "validation.failed"},
	"Invalid":         {index: 1, field: true, implied: "validation.failed"},
	"errQuery":        {index: 1, field: true, implied: "request.invalid_parameter"},
}

// dynamic are the code expressions that are not literals, each with where
// its codes are collected instead.
var dynamic = map[string]string{
	"code":     "a parameter of one of the functions of codeArg: their callers' literals",
	"fe.Tag()": "the validator's tags: the validate tags of the request types",
	"ce.Code":  "model.Conflict's codes",
	"f.Kind":   "the mail package's Fail* constants",
	"strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), \" \", \"_\"))": "echoStatuses",
}

// echoStatuses are the codes fromEchoError makes from an HTTP status it has
// no code of its own for: the statuses Echo itself answers with.
var echoStatuses = []string{"bad_request", "internal_server_error", "request_timeout"}

// validateSkip are validate tags that are not rules (they never fail).
var validateSkip = map[string]bool{"omitempty": true, "omitnil": true, "dive": true, "keys": true, "endkeys": true}

// Collect reads the Go source under backend (the backend module's root).
func Collect(backend string) (Codes, error) {
	body := map[string]bool{}
	field := map[string]bool{}
	for _, c := range echoStatuses {
		body[c] = true
	}
	var problems []string
	fset := token.NewFileSet()
	for _, dir := range []string{"internal/api", "internal/model", "internal/mail"} {
		files, err := filepath.Glob(filepath.Join(backend, dir, "*.go"))
		if err != nil {
			return Codes{}, fmt.Errorf("list %s: %w", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return Codes{}, fmt.Errorf("parse %s: %w", path, err)
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return Codes{}, fmt.Errorf("read %s: %w", path, err)
			}
			text := func(e ast.Expr) string {
				return string(src[fset.Position(e.Pos()).Offset:fset.Position(e.End()).Offset])
			}
			// code records a code expression: a literal, or a known dynamic one.
			code := func(e ast.Expr, into map[string]bool) {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					into[v] = true
					return
				}
				if _, ok := dynamic[text(e)]; !ok {
					problems = append(problems, fmt.Sprintf("%s: code %s is neither a literal nor listed in errcodes.dynamic", fset.Position(e.Pos()), text(e)))
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					name := ""
					switch fn := n.Fun.(type) {
					case *ast.Ident:
						name = fn.Name
					case *ast.SelectorExpr:
						if x, ok := fn.X.(*ast.Ident); ok && x.Name == "model" {
							name = fn.Sel.Name
						}
					}
					a, ok := codeArg[name]
					if !ok || len(n.Args) <= a.index {
						return true
					}
					if a.body {
						code(n.Args[a.index], body)
					}
					if a.field {
						code(n.Args[a.index], field)
					}
					if a.implied != "" {
						body[a.implied] = true
					}
				case *ast.CompositeLit:
					kinds := map[string]map[string]bool{"APIError": body, "FieldError": field}
					if into := kinds[typeName(n.Type)]; into != nil {
						codeFields(n, into, code)
					}
					// []model.FieldError{{...}}: the elements' type is elided.
					if at, ok := n.Type.(*ast.ArrayType); ok {
						if into := kinds[typeName(at.Elt)]; into != nil {
							for _, el := range n.Elts {
								if cl, ok := el.(*ast.CompositeLit); ok && cl.Type == nil {
									codeFields(cl, into, code)
								}
							}
						}
					}
				case *ast.AssignStmt:
					for i, lhs := range n.Lhs {
						if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Code" && len(n.Rhs) == len(n.Lhs) {
							code(n.Rhs[i], body)
						}
					}
				case *ast.GenDecl:
					// The mail package's failure kinds: mail.send_failed's field codes.
					if n.Tok != token.CONST || f.Name.Name != "mail" {
						return true
					}
					for _, spec := range n.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, id := range vs.Names {
							if strings.HasPrefix(id.Name, "Fail") && i < len(vs.Values) {
								code(vs.Values[i], field)
							}
						}
					}
				case *ast.StructType:
					if f.Name.Name != "api" {
						return true
					}
					for _, fl := range n.Fields.List {
						if fl.Tag == nil {
							continue
						}
						tag, _ := strconv.Unquote(fl.Tag.Value)
						for _, rule := range strings.FieldsFunc(reflect.StructTag(tag).Get("validate"), func(r rune) bool { return r == ',' || r == '|' }) {
							name, _, _ := strings.Cut(rule, "=")
							if !validateSkip[name] {
								field[name] = true
							}
						}
					}
				}
				return true
			})
		}
	}
	if len(problems) > 0 {
		return Codes{}, fmt.Errorf("error codes that cannot be listed:\n%s", strings.Join(problems, "\n"))
	}
	return Codes{Codes: sorted(body), FieldCodes: sorted(field)}, nil
}

// codeFields records the Code: of a struct literal.
func codeFields(n *ast.CompositeLit, into map[string]bool, code func(ast.Expr, map[string]bool)) {
	for _, el := range n.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
				code(kv.Value, into)
			}
		}
	}
}

func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	}
	return ""
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
