package orgprovider

import (
	"encoding/json"
	"errors"
)

type sealedSecret struct {
	Secret       string `json:"s"`
	SigningToken string `json:"t,omitempty"`
}

func encode(s Secret) string {
	signing := s.SigningToken
	if signing == s.Secret {
		signing = ""
	}
	b, _ := json.Marshal(sealedSecret{Secret: s.Secret, SigningToken: signing})
	return string(b)
}

func decode(plain string) (Secret, error) {
	var ss sealedSecret
	if err := json.Unmarshal([]byte(plain), &ss); err != nil {
		return Secret{}, errors.New("provider credentials are not in the expected format")
	}
	s := Secret{Secret: ss.Secret, SigningToken: ss.SigningToken}
	if s.SigningToken == "" {
		s.SigningToken = s.Secret
	}
	return s, nil
}
