* 2.5 V I/O NMOS, BSIM4 (level=54), laid out as kit model files are: mode switches first,
* then one line per group. Our own invented values for a thick-oxide selector device.
* rdsmod=0 here: the kit as first written had rdsmod=1, which neurospice refuses, located
* (bias-dependent source/drain resistors are not modelled).
.model nio25 nmos level=54 version=4.7
+ mobmod=1 capmod=2 igcmod=0 igbmod=0 rdsmod=0 rbodymod=0 rgatemod=0 trnqsmod=0 acnqsmod=0
+ diomod=1 permod=1 geomod=0 rgeomod=0 tempmod=0 binunit=1
+ tnom=25 toxe=5.2e-9 toxp=4.9e-9 toxm=5.2e-9 dtox=0.3e-9 epsrox=3.9 toxref=5.2e-9
+ xj=1.2e-7 ndep=1.2e17 nsd=1e20 ngate=0 lint=2e-8 wint=1.5e-8 xl=0 xw=0
+ vth0=0.55 k1=0.62 k2=-0.02 k3=2 k3b=0.5 w0=2e-6 lpe0=1.5e-7 lpeb=0 dvt0=2.2 dvt1=0.52
+ dvt2=-0.03 dvtp0=0 dvtp1=0 dsub=0.6 eta0=0.05 etab=-0.04 minv=0 voffl=0
+ nfactor=1.1 voff=-0.12 cdsc=2.4e-4 cdscb=0 cdscd=0 cit=0
+ u0=0.045 ua=1.5e-9 ub=1.1e-18 uc=5e-11 eu=1.67 vsat=9e4 a0=1.1 ags=0.3 a1=0 a2=1
+ b0=0 b1=0 keta=-0.03 pclm=1.1 pdiblc1=0.3 pdiblc2=1.5e-3 pdiblcb=0 drout=0.56
+ pvag=0.8 delta=0.01 pscbe1=5e8 pscbe2=1e-5 fprout=0 pdits=0 pditsd=0 pditsl=0
+ rsh=8 rdswmin=50 rdwmin=25 rswmin=25 rdsw=300 rdw=150 rsw=150 prwg=0.2 prwb=0 wr=1
+ alpha0=1e-6 alpha1=0.2 beta0=18 agidl=1e-9 bgidl=2.3e9 cgidl=0.5 egidl=0.8
+ cgso=2.2e-10 cgdo=2.2e-10 cgbo=1e-12 cgsl=0 cgdl=0 ckappas=0.6 ckappad=0.6 cf=0
+ cjs=9e-4 cjd=9e-4 mjs=0.36 mjd=0.36 pbs=0.75 pbd=0.75 cjsws=2e-10 cjswd=2e-10
+ mjsws=0.3 mjswd=0.3 pbsws=0.9 pbswd=0.9 jss=2e-7 jsd=2e-7 jsws=1e-13 jswd=1e-13 njs=1 njd=1
+ kt1=-0.25 kt1l=0 kt2=0.02 ute=-1.5 ua1=1e-9 ub1=-1e-18 uc1=-5e-11 at=3.3e4 prt=0
+ saref=1e-6 sbref=1e-6 ku0=-2e-8 kvth0=2e-9 tku0=0 llodku0=1 wlodku0=1 llodvth=1 wlodvth=1 lodk2=1 lodeta0=1
