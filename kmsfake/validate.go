package kmsfake

import "strings"

// This file is the one place that checks input shapes (required fields,
// enums, lengths, ranges) with AWS's "1 validation error detected" texts.

// errEnum is AWS's enum-constraint ValidationException.
func errEnum(field, value string, allowed []string) *apiError {
	return answerErr("Validation.Enum",
		value, field, strings.Join(allowed, ", "))
}

func checkEnum(field, value string, allowed []string) *apiError {
	for _, a := range allowed {
		if a == value {
			return nil
		}
	}
	return errEnum(field, value, allowed)
}

func errRequired(field string) *apiError {
	return answerErr("Validation.Required", field)
}

func errMinLen(field string, n int) *apiError {
	return answerErr("Validation.MinLen", field, n)
}

func errMaxLen(field string, n int) *apiError {
	return answerErr("Validation.MaxLen", field, n)
}

// checkBlob checks the length of a binary field; AWS omits the value from
// the message.
func checkBlob(field string, b []byte, min, max int) *apiError {
	if b == nil && min > 0 {
		return errRequired(field)
	}
	if len(b) < min {
		return errMinLen(field, min)
	}
	if len(b) > max {
		return errMaxLen(field, max)
	}
	return nil
}

// checkRange checks an optional integer's bounds with AWS's texts.
func checkRange(field string, v *int64, min, max int64) *apiError {
	if v == nil {
		return nil
	}
	if *v < min {
		return answerErr("Validation.MinValue", *v, field, min)
	}
	if *v > max {
		return answerErr("Validation.MaxValue", *v, field, max)
	}
	return nil
}

// checkString checks a string field's length.
func checkString(field, v string, min, max int) *apiError {
	if len(v) < min {
		return answerErr("Validation.MinLenValue", v, field, min)
	}
	if len(v) > max {
		return answerErr("Validation.MaxLenValue", v, field, max)
	}
	return nil
}

// requireKeyID checks the KeyId field every key operation needs.
func requireKeyID(field, v string) *apiError {
	if v == "" {
		return errRequired(field)
	}
	return checkString(field, v, 1, 2048)
}

// checkContext validates an encryption context's shape.
func checkContext(field string, ec map[string]string) *apiError {
	for k := range ec {
		if k == "" {
			return answerErr("Validation.MapKeys", field)
		}
	}
	return nil
}
