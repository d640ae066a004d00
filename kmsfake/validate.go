package kmsfake

import "strings"

// This file is the one place that checks input shapes (required fields,
// enums, lengths, ranges) with AWS's "1 validation error detected" texts.

// errEnum is AWS's enum-constraint ValidationException.
func errEnum(field, value string, allowed []string) *apiError {
	return newErr(codeValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
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
	return newErr(codeValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

func errMinLen(field string, n int) *apiError {
	return newErr(codeValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", field, n)
}

func errMaxLen(field string, n int) *apiError {
	return newErr(codeValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, n)
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
		return newErr(codeValidation, "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *v, field, min)
	}
	if *v > max {
		return newErr(codeValidation, "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *v, field, max)
	}
	return nil
}

// checkString checks a string field's length.
func checkString(field, v string, min, max int) *apiError {
	if len(v) < min {
		return newErr(codeValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", v, field, min)
	}
	if len(v) > max {
		return newErr(codeValidation, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", v, field, max)
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
			return newErr(codeValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: Map keys must have length greater than or equal to 1", field)
		}
	}
	return nil
}
