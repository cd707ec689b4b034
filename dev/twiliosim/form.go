package twiliosim

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"unicode/utf8"
)

const (
	maxFormBytes  = 1 << 20
	maxFormFields = 1000
)

// readForm reads the form-encoded body of a REST write, the only body format
// Twilio's 2010 API accepts.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		return nil, badRequest("The request body could not be read: %v", err)
	}
	form, err := parseForm(body)
	if err != nil {
		return nil, badRequest("The request body is not a valid form: %v", err)
	}
	return form, nil
}

// parseForm decodes an application/x-www-form-urlencoded body. Names and
// values must be valid UTF-8 and there may be at most maxFormFields pairs.
func parseForm(body []byte) (url.Values, error) {
	if len(body) > maxFormBytes {
		return nil, errors.New("body too large")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	pairs := 0
	for name, values := range form {
		if !utf8.ValidString(name) {
			return nil, fmt.Errorf("parameter name %q is not UTF-8", name)
		}
		for _, v := range values {
			if !utf8.ValidString(v) {
				return nil, fmt.Errorf("parameter %s is not UTF-8", name)
			}
		}
		pairs += len(values)
	}
	if pairs > maxFormFields {
		return nil, fmt.Errorf("more than %d parameters", maxFormFields)
	}
	return form, nil
}
