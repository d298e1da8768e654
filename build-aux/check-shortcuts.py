#!/usr/bin/env python3
"""Checks that ui/help-overlay.ui lists every key the app binds, in the section of the window
that binds it, and nothing that no code binds.

The keys are read from the code the way it registers them: gtk_widget_class_add_binding_action,
GtkShortcutController triggers in the .ui templates, gtk_shortcut_trigger_parse_string,
gtk_application_set_accels_for_action (whose keys work in every window) and the judging
window's key handler (its `case GDK_KEY_…:` labels). Keypad twins count as their main keys."""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

MODS = {'control': 'ctrl', 'ctrl': 'ctrl', 'primary': 'ctrl', 'shift': 'shift', 'alt': 'alt',
        'super': 'super'}
MASKS = {'GDK_CONTROL_MASK': 'ctrl', 'GDK_SHIFT_MASK': 'shift', 'GDK_ALT_MASK': 'alt',
         'GDK_SUPER_MASK': 'super'}
# Keys GTK's own widgets handle, listed but bound by no code here: Ctrl+? (win.show-help-overlay,
# in every window) and a flow box's focus moves.
SHORTCUTS_KEY = (('ctrl',), '?')
BUILT_IN = {'judging': {((), k) for k in ('left', 'right', 'up', 'down')}}

# Which section of the shortcuts window a source file's keys belong to.
SECTIONS = [('browser/lk-curator-window', 'main'), ('session/', 'main'), ('lk-window.', 'main'),
            ('study/lk-study-settings-window', 'main'), ('study/lk-known-answers', 'main'),
            ('browser/', 'browser'), ('judging/', 'judging'), ('experimenter/', 'experimenter'),
            ('lk-application.c', '*')]


def norm_key(key):
    key = key.strip()
    if key.startswith('KP_'):
        key = {'KP_Enter': 'Return'}.get(key, key[3:])
    return {'question': '?', 'comma': ','}.get(key, key).lower()


def parse_accel(text):
    """'<Control><Shift>c' -> (('ctrl', 'shift'), 'c')."""
    mods = tuple(sorted(MODS[m.lower()] for m in re.findall(r'<(\w+)>', text)))
    return mods, norm_key(re.sub(r'<\w+>', '', text))


def section_of(path):
    for prefix, section in SECTIONS:
        if prefix in path:
            return section
    return None


def registered(root):
    keys = []  # (section, accel, where)
    for path in sorted((root / 'src/app').rglob('*.c')) + sorted((root / 'ui').rglob('*.ui')):
        rel = str(path.relative_to(root))
        text = path.read_text()
        section = section_of(rel)
        found = []
        for key, mask in re.findall(
                r'add_binding_action\s*\(\s*\w+\s*,\s*GDK_KEY_(\w+)\s*,\s*([\w| ]+?)\s*,', text):
            mods = tuple(sorted(MASKS[m.strip()] for m in mask.split('|') if m.strip() != '0'))
            found.append((mods, norm_key(key)))
        for trigger in re.findall(r'<property name="trigger">([^<]+)</property>', text):
            found += [parse_accel(t.replace('&lt;', '<').replace('&gt;', '>'))
                      for t in trigger.split('|')]
        for trigger in re.findall(r'gtk_shortcut_trigger_parse_string\s*\(\s*"([^"]+)"', text):
            found.append(parse_accel(trigger))
        for accels in re.findall(r'static const char \*\w+_accels\[\]\s*=\s*\{([^}]*)\}', text):
            found += [parse_accel(a) for a in re.findall(r'"([^"]+)"', accels)]
        if 'key_pressed_cb' in text:
            found += [((), norm_key(k)) for k in re.findall(r'case GDK_KEY_(\w+):', text)]
        if found and section is None:
            sys.exit(f'{rel} binds keys but belongs to no section of the shortcuts window')
        keys += [(section, accel, rel) for accel in found]
    return keys


def listed(overlay):
    sections = {}
    for sec in ET.parse(overlay).getroot().iter('object'):
        if sec.get('class') != 'GtkShortcutsSection':
            continue
        name = sec.find("property[@name='section-name']").text
        accels = sections.setdefault(name, set())
        for prop in sec.iter('property'):
            if prop.get('name') != 'accelerator':
                continue
            for item in prop.text.split():
                m = re.fullmatch(r'(\d)\.\.\.(\d)', item)
                if m:
                    accels.update(((), str(d)) for d in range(int(m[1]), int(m[2]) + 1))
                else:
                    accels.add(parse_accel(item))
    return sections


def show(accel):
    mods, key = accel
    return '+'.join([m.capitalize() for m in mods] + [key])


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else '.')
    sections = listed(root / 'ui/help-overlay.ui')
    keys = registered(root)
    errors = []
    used = {name: set(BUILT_IN.get(name, ())) | {SHORTCUTS_KEY} for name in sections}
    for section, accel, where in keys:
        targets = list(sections) if section == '*' else [section]
        for target in targets:
            if target not in sections:
                errors.append(f'{where}: no section "{target}" in ui/help-overlay.ui')
            elif accel not in sections[target]:
                errors.append(f'{where}: {show(accel)} is missing from the "{target}" section')
            else:
                used[target].add(accel)
    for name, accels in sections.items():
        for accel in sorted(accels - used[name]):
            errors.append(f'section "{name}" lists {show(accel)}, which no code binds there')
    for e in errors:
        print(e)
    print(f'{len(keys)} bindings checked against {len(sections)} sections')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
