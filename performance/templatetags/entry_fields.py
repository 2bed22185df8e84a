"""{% field_html form.value %}: a form field's control as HTML, without a template per widget.

The entry page shows ten controls per indicator; rendering each through Django's widget
templates was two thirds of the page's time (benchmarks/entry_pages.py). The markup is the
one Django's widgets produce for the three kinds the page uses.
"""

from __future__ import annotations

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def field_html(field: forms.BoundField) -> str:
    widget = field.field.widget
    attrs = field.build_widget_attrs(dict(widget.attrs))
    attrs.update(id=field.auto_id, name=field.html_name)
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-error"
    value = field.value()
    if isinstance(widget, forms.Textarea):
        return format_html("<textarea{}>\n{}</textarea>", flatatt(attrs), "" if value is None else value) + _hidden_initial(field)
    if isinstance(widget, forms.Select):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) == chosen else "", label) for key, label in field.field.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options) + _hidden_initial(field)
    attrs["type"] = widget.input_type
    if value not in (None, ""):
        attrs["value"] = widget.format_value(value)
    return format_html("<input{}>", flatatt(attrs)) + _hidden_initial(field)


def _hidden_initial(field: forms.BoundField) -> str:
    """The value the page showed, posted back so a change is judged against it."""
    if not field.field.show_hidden_initial:
        return mark_safe("")  # safe + safe stays safe: a plain "" would get the control escaped
    name = field.html_initial_name
    shown = field.form.data.get(name) if name in field.form.data else field.initial
    attrs = {"type": "hidden", "name": name, "value": "" if shown is None else str(shown)}
    if "form" in field.field.widget.attrs:
        attrs["form"] = field.field.widget.attrs["form"]
    return format_html("<input{}>", flatatt(attrs))
