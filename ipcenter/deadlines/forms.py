from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarUploadForm(forms.Form):
    file = forms.FileField(label=_("节假日安排 CSV"),
                           help_text=_("每行：日期,类型(休/班),说明。例如 2027-02-06,班,春节调休上班"))

    def clean(self):
        data = super().clean()
        f = data.get("file")
        if f is not None:
            if f.size > 200_000:
                raise forms.ValidationError({"file": _("文件过大（上限 200 KB）。")})
            raw = f.read()
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    data["text"] = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise forms.ValidationError({"file": _("无法识别文件编码，请保存为 UTF-8 CSV。")})
        return data
