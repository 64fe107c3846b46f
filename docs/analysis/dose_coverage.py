# Corpus trials whose text states a cell dose (an independent, deliberately simple reader of the CSV's title,
# interventions and summary) against the trials that have dose levels after parsing.
# Usage (from the repository root):
#   trialregistry parse ../shared/corpus/ctgov-csv/oncology-car-t-trials.csv > /tmp/parsed.json
#   python3 docs/analysis/dose_coverage.py /tmp/parsed.json [--list]
import json,csv,re,sys,os
parsed=sys.argv[1]
root=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
d={x['registryId']:x for x in json.load(open(parsed))}
rows={r['NCTId']:r for r in csv.DictReader(open(os.path.join(root,'..','shared','corpus','ctgov-csv','oncology-car-t-trials.csv'),encoding='utf-8'))}
num=r'(?:\d+(?:[.,]\d+)?\s*(?:-|–|to)\s*)?\d+(?:[.,]\d+)?'
power=r'(?:\s*[x×*]\s*10\s*(?:\^|\*\*|e)?\s*[⁰¹²³⁴⁵⁶⁷⁸⁹\d]{1,2}|\s*[eE][+]?\d{1,2}|\s*(?:million|billion|mio|M)\b)'
cells=r'(?:\s*(?:CAR[\s+-]*(?:positive|\+)?\s*)?(?:viable\s+)?(?:T\s*)?(?:cells?|CAR-?T(?:\s+cells)?|NK\s+cells|lymphocytes))?\s*(?:/|per)\s*(?:kg|m2|m²|square\s+met)|(?:\s*(?:CAR[\s+-]*(?:positive|\+)?\s*)?(?:viable\s+)?(?:T[\s-]*)?(?:cells|CAR-?T\s+cells|CAR\+\s*T\s+cells|NK\s+cells))'
pat=re.compile(num+power+"(?:"+cells+")",re.I)
vector=re.compile(r'\b(?:TU|vg|IU|PFU|VP)\s*/\s*kg',re.I)
stated=set(); have=set(); both=set()
for id,r in rows.items():
    text=' '.join([r['Interventions'],r['BriefSummary'],r['BriefTitle']])
    hits=[m.group(0) for m in pat.finditer(text)]
    if hits: stated.add(id)
    if d[id]['doseLevels']: have.add(id)
print('trials', len(rows))
print('state a cell dose in a text field', len(stated))
print('have dose levels after parsing', len(have))
print('both', len(stated&have), '| stated, no dose levels', len(stated-have), '| dose levels, no dose found by the simple reader', len(have-stated))
if '--list' in sys.argv:
    for id in sorted(stated-have):
        r=rows[id]; text=' '.join([r['Interventions'],r['BriefSummary']])
        print('MISS',id,[m.group(0) for m in pat.finditer(text)][:3])
    for id in sorted(have-stated):
        print('EXTRA',id,[x['text'] for x in d[id]['doseLevels']][:3])
