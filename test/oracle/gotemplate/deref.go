package main

import (
	"fmt"
	"reflect"
	"strconv"
)

// followPointers follows pointers and interfaces; a nil one gives the invalid value.
func followPointers(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// selectField takes a struct field by Go name or a string-keyed map entry.
func selectField(cur reflect.Value, name string) (reflect.Value, error) {
	switch {
	case cur.Kind() == reflect.Struct:
		field, ok := cur.Type().FieldByName(name)
		if !ok {
			return reflect.Value{}, fmt.Errorf("no field %s in type %s", strconv.Quote(name), cur.Type())
		}
		v := cur
		for i, index := range field.Index {
			if i > 0 {
				v = followPointers(v)
			}
			if !v.IsValid() {
				return reflect.Value{}, nil
			}
			v = v.Field(index)
		}
		return v, nil
	case cur.Kind() == reflect.Map && cur.Type().Key().Kind() == reflect.String:
		return cur.MapIndex(reflect.ValueOf(name).Convert(cur.Type().Key())), nil
	}
	return reflect.Value{}, fmt.Errorf("cannot select field %s in a value of type %s", strconv.Quote(name), cur.Type())
}

// deref walks Go field names through pointers and returns nil when a link is nil.
func deref(value interface{}, names ...string) (interface{}, error) {
	cur := reflect.ValueOf(value)
	for _, name := range names {
		cur = followPointers(cur)
		if !cur.IsValid() {
			return nil, nil
		}
		next, err := selectField(cur, name)
		if err != nil {
			return nil, err
		}
		cur = next
	}
	cur = followPointers(cur)
	if !cur.IsValid() {
		return nil, nil
	}
	return cur.Interface(), nil
}
