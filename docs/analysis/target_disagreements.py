# Disagreements between the parser's targetAntigens and the corpus CSV's curated TargetCategory column, by cause.
# Usage (from the repository root):
#   trialregistry parse ../shared/corpus/ctgov-csv/oncology-car-t-trials.csv > /tmp/parsed.json
#   python3 docs/analysis/target_disagreements.py /tmp/parsed.json [--list]
# The curated column is a rough second opinion: it keeps one target of several and fills in CD19 for standard-of-care
# CAR-T. The causes below are decided from the record's own text; the two "(review)" groups were read by hand.
import json,csv,sys,re,collections,os
parsed=sys.argv[1]
root=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
d={x['registryId']:x for x in json.load(open(parsed))}
rows={r['NCTId']:r for r in csv.DictReader(open(os.path.join(root,'..','shared','corpus','ctgov-csv','oncology-car-t-trials.csv'),encoding='utf-8'))}
ag=json.load(open(os.path.join(root,'src','TrialRegistry.Ingestion','Knowledge','antigens.json'),encoding='utf-8'))['antigens']
names={a['symbol'].upper():[a['symbol']]+a['synonyms']+[a['name']] for a in ag}
syn={'Mesothelin':'MSLN','Claudin 18.2':'CLDN18.2','IL13Ra2':'IL13RA2','IL13Rα2':'IL13RA2','B7H3':'B7-H3','NKG2D':'NKG2D-L','NKG2DL':'NKG2D-L','CLL-1':'CLL1','EpCAM':'EPCAM','c-Met':'MET','Kappa':'KAPPA','Kappa LC':'KAPPA','CD44v6':'CD44V6','FRa':'FRA','FRα':'FRA','Nectin-4':'NECTIN4','L1CAM':'CD171','CD79b':'CD79B','CD1a':'CD1A','FcRH5':'FCRL5'}
def cat(tc):
    t=tc.replace('CAR-NK:','').replace('CAR-γδ T','').strip()
    if t in ('Other_or_unknown','CAR-T_unspecified','CAR-NK','','Multi-target platform'): return None
    t=re.sub(r'\s*(dual|triple)$','',t)
    return sorted({syn.get(p.strip(),p.strip()).upper() for p in t.split('/')})
def named(sym,text):
    for n in names.get(sym,[sym]):
        if len(n)>=2 and re.search(r'(?<![A-Za-z0-9])'+re.escape(n)+r'(?![A-Za-z0-9])',text,re.I): return True
    return False
causes=collections.Counter(); ex=collections.defaultdict(list); agree=0; unk=0
for id,r in rows.items():
    x=d[id]; c=cat(r['TargetCategory']); mine=sorted({t.upper() for t in x['targetAntigens']})
    if c is None: unk+=1; continue
    if mine==c: agree+=1; continue
    text=' '.join([r['BriefTitle'],r['Interventions'],r['BriefSummary']])
    names_text=' '.join([r['BriefTitle'],r['Interventions']])
    mod=x.get('modality')
    if not mine and mod in ('NOT_CELL_THERAPY','OTHER_CELL_THERAPY'):
        k='no CAR/TCR cells given (antibody, drug, follow-up study): no target by the contract'
    elif not mine and not any(named(s,text) for s in c):
        k='target not written in the record (curated from the disease or outside knowledge)'
    elif not mine:
        k='parser misses a target the record names'
    elif set(c)<set(mine) and all(named(s,names_text) for s in set(mine)-set(c)):
        k='curated column keeps fewer of the targets the title/interventions name'
    elif set(c)<set(mine):
        k='parser adds a target from prose (review)'
    elif set(mine)<set(c) and not any(named(s,text) for s in set(c)-set(mine)):
        k='curated target not written in the record'
    elif set(mine)<set(c):
        k='parser misses one of several named targets'
    else:
        k='different targets (review)'
    causes[k]+=1; ex[k].append((id,mine,c,r['BriefTitle'][:80]))
print(f'agree {agree}, differ {sum(causes.values())}, curated unknown {unk}, of {len(rows)}')
for k,v in causes.most_common(): print(f'{v:5d}  {k}')
if '--list' in sys.argv:
    for k in ex:
        print('\n##',k)
        for e in ex[k]: print(' ',*e)
